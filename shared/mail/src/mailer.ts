import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from '@twenny/logger';

/**
 * A file carried by a mail. With `cid` it is an inline part (an image the HTML
 * shows with `<img src="cid:...">`); without, an ordinary attachment.
 */
export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Content-ID for inline images; the HTML refers to it as `cid:<cid>`. */
  cid?: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * Sends mail over SMTP (nodemailer, pooled). With no SMTP_URL — allowed only
 * outside production, each service's config enforces that — each mail is
 * written to the log instead, links included, so a developer can follow them
 * (attachments by name, type and size only, never their bytes).
 */
export function createMailer(options: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const { from, logger } = options;
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        const attachments = mail.attachments?.map(({ filename, contentType, cid, content }) => ({ filename, contentType, cid, bytes: content.length }));
        logger.info({ mail: { to: mail.to, subject: mail.subject, text: mail.text, ...(attachments?.length ? { attachments } : {}) } }, 'mail (no SMTP_URL set: written here instead of sent)');
      },
      close() {},
    };
  }
  const transport: Transporter = createTransport(options.smtpUrl.includes('pool=') ? options.smtpUrl : withPool(options.smtpUrl));
  return {
    async send(mail) {
      const { attachments, ...rest } = mail;
      await transport.sendMail({
        from,
        ...rest,
        ...(attachments?.length
          ? {
              attachments: attachments.map(({ filename, content, contentType, cid }) => ({
                filename,
                content,
                contentType,
                ...(cid ? { cid, contentDisposition: 'inline' as const } : {}),
              })),
            }
          : {}),
      });
      logger.info({ subject: mail.subject, attachments: attachments?.length ?? 0 }, 'mail sent');
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
