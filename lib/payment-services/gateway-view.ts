import type { PaymentService } from "@/db/schema";
import { connectorFor } from "@/lib/connectors";
import type { SetupField } from "@/lib/connectors/types";
import { openCredentials } from "./services";
import { type GatewayKind, gatewayKindList, isGatewayKind } from "./gateways";

/** A gateway a merchant can link now, as the settings form draws it: plain data, safe to hand a browser. */
export interface GatewayOption {
  kind: GatewayKind;
  label: string;
  description: string;
  fields: SetupField[];
}

/**
 * The gateways whose connector has landed (declares its `setup`), asked each
 * time rather than fixed at start-up, in the order Settle lists them.
 */
export function linkableGateways(): GatewayOption[] {
  return gatewayKindList.flatMap((kind) => {
    const setup = connectorFor(kind).setup;
    return setup
      ? [{ kind, label: setup.label, description: setup.description, fields: setup.fields.map((f) => ({ ...f })) }]
      : [];
  });
}

/** One setting of a linked gateway: a public value, or, for a secret, only whether it is set. */
export interface GatewaySetting {
  name: string;
  label: string;
  secret: boolean;
  /** Public fields only; never a secret's value. */
  value?: string;
  set: boolean;
}

/** Which of a gateway service's sealed credentials are set (their names; the values stay sealed). */
export function credentialNames(row: Pick<PaymentService, "credentialsSealed">): string[] {
  return Object.keys(openCredentials(row));
}

/**
 * A gateway service's settings as its connector's setup names them: public
 * values as stored, secrets as set or not. Empty for the built-in kinds.
 */
export function gatewaySettings(row: PaymentService): GatewaySetting[] {
  if (!isGatewayKind(row.kind)) return [];
  const sealed = new Set(credentialNames(row));
  const fields = connectorFor(row.kind).setup?.fields;
  if (!fields) {
    // A connector without its setup (not landed): what is stored, by its own names.
    return [
      ...Object.entries(row.config).flatMap(([name, value]) => (value === undefined ? [] : [{ name, label: name, secret: false, value, set: true }])),
      ...[...sealed].map((name) => ({ name, label: name, secret: true, set: true })),
    ];
  }
  return fields.map((f) =>
    f.secret
      ? { name: f.name, label: f.label, secret: true, set: sealed.has(f.name) }
      : { name: f.name, label: f.label, secret: false, value: row.config[f.name], set: row.config[f.name] !== undefined && row.config[f.name] !== "" },
  );
}

/** One line for the service list: the public settings, then which secrets are set. */
export function describeGateway(row: PaymentService): string {
  const settings = gatewaySettings(row);
  const parts = [
    ...settings.filter((s) => !s.secret && s.set).map((s) => `${s.label}: ${s.value}`),
    ...settings.filter((s) => s.secret).map((s) => `${s.label} ${s.set ? "set" : "not set"}`),
  ];
  return parts.join(" · ") || "No settings";
}

/** The API's spelling of a setup field's name: apiKey → api_key. */
export const apiFieldName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/-/g, "_").toLowerCase();
