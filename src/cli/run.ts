import { reasonOf } from "./files.js";
import { CliError } from "./errors.js";
import { main } from "./main.js";

/** Wire the CLI to the real process: exit code through process.exitCode so long output is never cut. */
export function run(): void {
  let failed = false;
  const onWriteError = (stream: "stdout" | "stderr") => (e: NodeJS.ErrnoException) => {
    // A reader that stops early (| head) is not an error worth a word.
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (failed) return;
    failed = true;
    // Anything else (a full disk, /dev/full, an I/O error) is: one line where it can go, exit 2.
    if (stream === "stdout") {
      try {
        process.stderr.write(`threat-model-review: cannot write the output: ${reasonOf(e)}\n`);
      } catch {
        // stderr is gone too
      }
    }
    process.exit(2);
  };
  process.stdout.on("error", onWriteError("stdout"));
  process.stderr.on("error", onWriteError("stderr"));
  const io = {
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    readStdin: async (maxBytes: number) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of process.stdin) {
        const bytes = chunk as Buffer;
        total += bytes.length;
        // Leaving the loop destroys the stream: stop reading an input that never ends.
        if (total > maxBytes) throw new CliError(`stdin holds more than ${maxBytes} bytes`);
        chunks.push(bytes);
      }
      return Buffer.concat(chunks).toString("utf8");
    },
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`threat-model-review: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
