export * from "./accounts";
export * from "./invoices";
export * from "./webhooks";
