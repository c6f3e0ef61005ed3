import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "./logger";
import { currentRequestId, runWithRequest } from "./request-context";
import { loggedTextStream } from "./stream";

afterEach(() => vi.restoreAllMocks());

async function* lines(failAfter?: number) {
  for (let i = 0; i < 3; i++) {
    if (i === failAfter) throw new Error("connection lost");
    yield `line ${i}\n`;
  }
}

describe("loggedTextStream", () => {
  it("sends every line, page by page", async () => {
    expect(await new Response(loggedTextStream(lines(), "test")).text()).toBe("line 0\nline 1\nline 2\n");
  });

  it("a failure part-way is logged under the request that started the stream, read after it returned, and the stream fails", async () => {
    const seen: { requestId?: string; stream?: unknown; message?: unknown }[] = [];
    vi.spyOn(log, "error").mockImplementation(((obj: { stream: unknown }, message: unknown) => {
      seen.push({ requestId: currentRequestId(), stream: obj.stream, message });
    }) as typeof log.error);
    const stream = runWithRequest({ requestId: "req_export" }, () => loggedTextStream(lines(2), "invoices.csv"));
    // Read elsewhere, as Next does once the handler has returned.
    await expect(runWithRequest({ requestId: "req_reader" }, () => new Response(stream).text())).rejects.toThrow("connection lost");
    expect(seen).toEqual([{ requestId: "req_export", stream: "invoices.csv", message: "stream failed part-way" }]);
  });
});
