import type { Connector } from "./types";

/** Being built (issue #20): offered for no currency, and every notification refused, until its connector lands. */
export const foloosiConnector: Connector = {
  kind: "foloosi",
  flows: () => [],
  verifyNotification: () => ({ ok: false, status: 401, message: "This connector is not available yet." }),
};
