import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { captureLogger, waitFor } from '@twenny/testing';
import { createMailer } from '../src/index.ts';

// The 1×1 transparent PNG: enough bytes to check an attachment arrives unchanged.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let server: SMTPServer;
let url: string;
const received: ParsedMail[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('createMailer', () => {
  it('sends inline images (cid) and plain attachments over SMTP', async () => {
    const { logger } = captureLogger();
    const mailer = createMailer({ smtpUrl: url, from: 'twenny <no-reply@twenny.local>', logger });
    await mailer.send({
      to: 'buyer@example.com',
      subject: 'Your tickets',
      text: 'See attached.',
      html: '<p><img src="cid:qr-1@twenny" alt="QR"></p>',
      attachments: [
        { filename: 'ticket-1.png', content: png, contentType: 'image/png', cid: 'qr-1@twenny' },
        { filename: 'terms.txt', content: Buffer.from('terms'), contentType: 'text/plain' },
      ],
    });
    mailer.close();
    const mail = await waitFor('the mail', () => received.find((m) => m.subject === 'Your tickets'));
    const inline = mail.attachments.find((a) => a.filename === 'ticket-1.png');
    expect(inline).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline', cid: 'qr-1@twenny' });
    expect(inline?.content.equals(png)).toBe(true);
    expect(mail.attachments.find((a) => a.filename === 'terms.txt')).toMatchObject({ contentType: 'text/plain', contentDisposition: 'attachment' });
  });

  it('with no SMTP configured logs attachments by name and size, never their bytes', async () => {
    const { logger, lines } = captureLogger();
    const mailer = createMailer({ from: 'x <x@y.z>', logger });
    await mailer.send({ to: 'dev@example.com', subject: 'Tickets', text: 't', html: '<p>t</p>', attachments: [{ filename: 'qr.png', content: png, contentType: 'image/png', cid: 'qr' }] });
    const line = lines.find((l) => l.msg?.toString().startsWith('mail'));
    expect(line?.mail).toMatchObject({ to: 'dev@example.com', attachments: [{ filename: 'qr.png', contentType: 'image/png', cid: 'qr', bytes: png.length }] });
    expect(JSON.stringify(line)).not.toContain(png.toString('base64'));
  });
});
