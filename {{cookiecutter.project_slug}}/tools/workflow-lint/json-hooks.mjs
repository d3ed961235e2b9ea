// Module hook: GitHub's packages import their JSON schemas without `with { type: "json" }`, which
// Node 20 refuses (ERR_IMPORT_ASSERTION_TYPE_MISSING). Loading every .json URL as a JSON module
// ourselves skips that check. Registered by register-json-hooks.mjs (node --import).
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json")) {
    return { format: "json", source: await readFile(new URL(url), "utf8"), shortCircuit: true };
  }
  return nextLoad(url, context);
}
