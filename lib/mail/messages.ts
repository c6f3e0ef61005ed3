import type { Mail } from "./mailer";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** One layout for every mail: paragraphs, one button-like link, the same words in plain text. */
function compose(to: string, subject: string, { before, link, label, after }: { before: string[]; link: string; label: string; after: string[] }): Mail {
  const text = [...before, "", `${label}: ${link}`, "", ...after].join("\n");
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = [
    `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#0f172a">`,
    ...before.map(p),
    `<p style="margin:0 0 16px"><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;border-radius:6px;background:#047857;color:#fff;text-decoration:none">${escapeHtml(label)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#475569">Or paste this link into your browser: ${escapeHtml(link)}</p>`,
    ...after.map(p),
    `</body></html>`,
  ].join("\n");
  return { to, subject, text, html };
}

export function passwordResetMail(to: string, link: string): Mail {
  return compose(to, "Reset your Settle password", {
    before: ["Someone (we hope you) asked to reset the password of your Settle account."],
    link,
    label: "Choose a new password",
    after: [
      "The link works once, for 30 minutes. Resetting signs you out on every device.",
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ],
  });
}

export function inviteMail(to: string, link: string, { merchantName, inviterName, role }: { merchantName: string; inviterName: string; role: string }): Mail {
  return compose(to, `${inviterName} invited you to ${merchantName} on Settle`, {
    before: [`${inviterName} invited you to join ${merchantName} on Settle as ${role}.`],
    link,
    label: "Accept the invite",
    after: ["The link works once, for 7 days. If you were not expecting it, ignore this email."],
  });
}
