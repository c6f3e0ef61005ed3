import { afterEach, expect, it, vi } from "vitest";
import { demoEndpoints } from "@/lib/demo/history";
import { POST } from "./route";

const post = (name: string) =>
  POST(new Request(`http://localhost:3000/api/dev/demo-receiver/${name}`, { method: "POST", body: '{"type":"invoice.paid"}' }), { params: Promise.resolve({ name }) });

afterEach(() => vi.unstubAllEnvs());

it("in development the demo's endpoints are this server's own receivers: orders takes deliveries, accounting is down", async () => {
  vi.stubEnv("NODE_ENV", "development");
  vi.stubEnv("APP_URL", "http://localhost:3000");
  expect(demoEndpoints()).toEqual({ orders: "http://localhost:3000/api/dev/demo-receiver/orders", books: "http://localhost:3000/api/dev/demo-receiver/books" });
  expect((await post("orders")).status).toBe(200);
  const books = await post("books");
  expect(books.status).toBe(500);
  expect(await books.json()).toEqual({ error: "ledger is locked for the month-end close" });
  expect((await post("anything")).status).toBe(404);
});

it("in production there is no such receiver, and a demo seeded there names example hosts", async () => {
  vi.stubEnv("NODE_ENV", "production");
  expect((await post("orders")).status).toBe(404);
  expect(demoEndpoints().orders).toBe("https://shop.example.com/settle/webhooks");
});
