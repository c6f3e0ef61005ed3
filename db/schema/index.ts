export * from "./accounts";
export * from "./invoices";
