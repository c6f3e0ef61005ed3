import { log } from "./logger";

/**
 * The strings of `lines` as a byte stream for a Response, read page by page
 * as the client takes them. The reader (Next, sending the body) runs after the
 * route handler has returned and its request line is written, so a failure
 * part-way (the database gone mid-export) would reach no log line; it is
 * logged here before the stream ends in error. The stream's reads run in the
 * context it was made in, so the line carries that request's id.
 */
export function loggedTextStream(lines: AsyncGenerator<string>, what: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        log.error({ err, stream: what }, "stream failed part-way");
        controller.error(err);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
