import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '@twenny/mail';
import { captureLogger, startSmtpCapture, type SmtpCapture } from '@twenny/testing';
import { mailMessages } from '../src/mail/messages.ts';

let smtp: SmtpCapture;

beforeAll(async () => {
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await smtp?.close();
});

describe('mailer', () => {
  it('sends over SMTP, with text and HTML parts', async () => {
    const { logger } = captureLogger();
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'twenny <no-reply@twenny.local>', logger });
    await mailer.send(mailMessages.resetPassword('pat@example.com', 'http://localhost:3000/api/auth/reset-password/abc?callbackURL=%2F'));
    mailer.close();
    const mail = await smtp.waitForMail('pat@example.com', /Reset your twenny password/);
    expect(mail.links).toEqual(['http://localhost:3000/api/auth/reset-password/abc?callbackURL=%2F']);
    expect(mail.html).toContain('href="http://localhost:3000/api/auth/reset-password/abc?callbackURL=%2F"');
  });

  it('with no SMTP configured writes the mail, link included, to the log', async () => {
    const { logger, lines } = captureLogger();
    const mailer = createMailer({ from: 'x <x@y.z>', logger });
    await mailer.send(mailMessages.verifyEmail('dev@example.com', 'http://localhost:3000/api/auth/verify-email?token=t'));
    const line = lines.find((l) => l.msg?.toString().startsWith('mail'));
    expect(line?.mail).toMatchObject({ to: 'dev@example.com', subject: 'Confirm your email for twenny' });
    expect(JSON.stringify(line)).toContain('verify-email?token=t');
  });

  it('rejects when the SMTP server cannot be reached (the caller logs it; see create-auth.ts)', async () => {
    const { logger } = captureLogger();
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'x <x@y.z>', logger });
    await expect(mailer.send(mailMessages.verifyEmail('a@b.c', 'http://x'))).rejects.toThrow();
    mailer.close();
  });

  it('escapes names in HTML: an organisation called <script> stays text', () => {
    const mail = mailMessages.invitation('a@b.c', 'http://localhost:3000/invitations/1', '<script>alert(1)</script>', 'Eve "the" <b>', 'member');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.subject).toContain('<script>alert(1)</script>'); // a subject is plain text
  });
});
