export * from "./accounts";
export * from "./invoices";
export * from "./payment-links";
export * from "./webhooks";
export * from "./dashboard";
export * from "./api";
export * from "./mail";
export * from "./test-data";
