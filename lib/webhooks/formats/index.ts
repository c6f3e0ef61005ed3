import type { WebhookFormatId } from "./catalogue";
import { finanFormat } from "./finan";
import { foloosiFormat } from "./foloosi";
import { furatpayFormat } from "./furatpay";
import { myFatoorahFormat } from "./myfatoorah-v1";
import { standardFormat } from "./standard";
import type { WebhookFormatBuilder } from "./types";

export * from "./catalogue";
export type { FormatEvent, FormattedRequest, SignContext, WebhookFormatBuilder } from "./types";

/** Each format's request builder, one file per format behind one interface. */
export const formatBuilders: Record<WebhookFormatId, WebhookFormatBuilder> = {
  standard: standardFormat,
  finan: finanFormat,
  myfatoorah_v1: myFatoorahFormat,
  foloosi: foloosiFormat,
  furatpay: furatpayFormat,
};
