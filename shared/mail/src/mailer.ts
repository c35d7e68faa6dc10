import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from '@twenny/logger';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * Sends mail over SMTP (nodemailer, pooled). With no SMTP_URL — allowed only
 * outside production, config enforces that — each mail is written to the log
 * instead, links included, so a developer can follow them.
 */
export function createMailer(options: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const { from, logger } = options;
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        logger.info({ mail: { to: mail.to, subject: mail.subject, text: mail.text } }, 'mail (no SMTP_URL set: written here instead of sent)');
      },
      close() {},
    };
  }
  const transport: Transporter = createTransport(options.smtpUrl.includes('pool=') ? options.smtpUrl : withPool(options.smtpUrl));
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
      logger.info({ subject: mail.subject }, 'mail sent');
    },
    close() {
      transport.close();
    },
  };
}

function withPool(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('pool', 'true');
  return parsed.toString();
}
