/**
 * Starts the Hrana dev server on a local SQLite file:
 *
 *   npx node db/server/cli.ts --file .local/dev.db --port 8080 [--host 127.0.0.1]
 *
 * Point @libsql/client (e.g. in workerd) at the printed URL. Stops cleanly on Ctrl-C / SIGTERM,
 * rolling back any transaction a client left open.
 */
import { parseArgs } from "node:util";
import { startHranaServer } from "./hrana.ts";

const USAGE = "Usage: node db/server/cli.ts --file <path.db> [--port <n>] [--host <loopback address>]";

const { values } = parseArgs({
  options: {
    file: { type: "string" },
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    help: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
if (values.help || values.file === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const server = await startHranaServer({ file: values.file, host: values.host, port }).catch((error: unknown) => {
  // Startup problems (port in use, non-loopback host) are user errors: no stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
console.log(`Hrana dev server for ${values.file} listening on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
