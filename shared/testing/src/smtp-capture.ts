import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { waitFor } from './wait-for.ts';

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link in the text part. */
  links: string[];
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  mails: CapturedMail[];
  /** The first mail to `to` whose subject matches, once it has arrived. */
  waitForMail(to: string, subject?: RegExp): Promise<CapturedMail>;
  close(): Promise<void>;
}

function addresses(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((a) => (a.address ?? '').toLowerCase()));
}

/** A real SMTP server (smtp-server) on a free port that keeps what it receives, parsed. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          mails.push({ to: addresses(parsed), subject: parsed.subject ?? '', text, html: typeof parsed.html === 'string' ? parsed.html : '', links: text.match(/https?:\/\/\S+/g) ?? [] });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitForMail(to, subject) {
      return waitFor(`a mail to ${to}`, () => mails.find((m) => m.to.includes(to.toLowerCase()) && (!subject || subject.test(m.subject))), { timeoutMs: 10_000 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
