import { findLeaks } from "../test/log-leaks";
import { E2E_SECRETS, serverLog, serverLogPath, usedSecrets } from "./run-files";

/**
 * After every spec has run (the server still up): the server's whole log,
 * pino's JSON and Next's own lines alike, must hold none of the secrets the
 * run used: the server's keys, every password typed, every signing secret
 * set or revealed, the card number sent in a provider notification.
 */
export default async function globalTeardown() {
  // The server writes synchronously to the pipe; give the last lines a moment to land.
  await new Promise((r) => setTimeout(r, 300));
  const log = serverLog();
  if (!log.includes('"msg":"request"')) {
    throw new Error(`The server log at ${serverLogPath()} holds no request lines: its capture is broken, so the secret check would prove nothing.`);
  }
  const secrets = [
    ...Object.entries(E2E_SECRETS).map(([label, value]) => ({ label, value })),
    { label: "the demo password", value: "demo-password" },
    { label: "the test card number", value: "4242424242424242" },
    ...usedSecrets(),
  ];
  const leaks = findLeaks(log, secrets);
  if (leaks.length) {
    const list = leaks.slice(0, 20).map((l) => `  ${l.label}: ${l.line}`);
    throw new Error(`${leaks.length} secret(s) reached the server log (${serverLogPath()}):\n${list.join("\n")}`);
  }
  // Every spec closes its browsers, many while a page polls (the delivery log, the checkout): none of that
  // may crash a request into Node's last-resort handler (issue #16 saw `uncaughtException … ECONNRESET`).
  const crashes = log.split("\n").filter((line) => /uncaughtException|unhandledRejection/.test(line));
  if (crashes.length) {
    throw new Error(`${crashes.length} uncaught error line(s) in the server log (${serverLogPath()}):\n${crashes.slice(0, 10).join("\n")}`);
  }
  console.log(`server log checked: ${log.split("\n").length} lines, ${secrets.length} secrets, no leak, no uncaught error`);
}
