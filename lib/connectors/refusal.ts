/**
 * Thrown by a connector's `fetchStatus` when the gateway answered, but what it
 * said cannot be a payment (iPint: COMPLETED with nothing received). Unlike a
 * failed lookup (502, asked again), this is final: the notification is stored
 * as rejected with `message`, and answered 400.
 */
export class StatusRefused extends Error {
  readonly providerRef: string;
  constructor(providerRef: string, message: string) {
    super(message);
    this.name = "StatusRefused";
    this.providerRef = providerRef;
  }
}
