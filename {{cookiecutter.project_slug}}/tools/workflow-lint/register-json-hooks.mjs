// Passed to `node --import`: installs json-hooks.mjs before the scripts import GitHub's packages.
import { register } from "node:module";

register("./json-hooks.mjs", import.meta.url);
