import type { Mail } from '@twenny/mail';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function linkMail(to: string, subject: string, intro: string, action: string, url: string, outro: string): Mail {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}: ${url}\n\n${outro}\n`,
    html: `<p>${escape(intro)}</p><p><a href="${escape(url)}">${escape(action)}</a></p><p>${escape(outro)}</p>`,
  };
}

export const mailMessages = {
  verifyEmail: (to: string, url: string) =>
    linkMail(to, 'Confirm your email for twenny', 'Welcome to twenny. Confirm this is your address:', 'Confirm my email', url, 'If you did not sign up, ignore this mail.'),

  resetPassword: (to: string, url: string) =>
    linkMail(to, 'Reset your twenny password', 'Someone (hopefully you) asked to reset your twenny password.', 'Choose a new password', url, 'The link works once and expires in an hour. If it was not you, ignore this mail: your password stays as it is.'),

  invitation: (to: string, url: string, organizationName: string, inviterName: string, role: string) =>
    linkMail(
      to,
      `${inviterName} invited you to ${organizationName} on twenny`,
      `${inviterName} invited you to join the organiser team "${organizationName}" on twenny as ${role}.`,
      'Accept the invitation',
      url,
      'Sign in or create an account with this email address to accept. If you did not expect this, ignore this mail.',
    ),
};
