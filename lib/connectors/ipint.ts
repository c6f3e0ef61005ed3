import type { Connector } from "./types";

/** Being built (issue #20): offered for no currency, and every notification refused, until its connector lands. */
export const ipintConnector: Connector = {
  kind: "ipint",
  flows: () => [],
  verifyNotification: () => ({ ok: false, status: 401, message: "This connector is not available yet." }),
};
