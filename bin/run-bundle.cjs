'use strict';
// Runs the CLI bundle (dist/cli.cjs) with the V8 code cache made for it at build time (dist/cli.cjs.v8cache), so a
// run does not parse and compile the bundle again: the bytecode of the functions a validate run calls is read
// from the cache. The cache starts with the id the build wrote at the end of the bundle (a hash of its text):
// a cache made for other text is never used, nor one older than the bundle (a bundle edited in place: V8 checks
// only the text's length), and V8 itself refuses a cache made by another V8 or with other flags. Without a usable
// cache the bundle is compiled as usual. Nothing here writes a file.
const { readFileSync, statSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'cli.cjs');
const MARK = '\n//# flagops-bundle ';
const ID_LENGTH = 64;

/** The id at the end of a bundle's text, or undefined. */
function bundleId(source) {
  const at = source.length - ID_LENGTH - 1 - MARK.length;
  return at >= 0 && source.startsWith(MARK, at) ? source.slice(at + MARK.length, at + MARK.length + ID_LENGTH) : undefined;
}

/** The cache's V8 data when it was made for this bundle, else undefined. */
function cacheFor(file, id) {
  if (id === undefined) return undefined;
  let bytes;
  try {
    if (statSync(`${file}.v8cache`).mtimeMs < statSync(file).mtimeMs) return undefined;
    bytes = readFileSync(`${file}.v8cache`);
  } catch {
    return undefined;
  }
  return bytes.length > ID_LENGTH && bytes.latin1Slice(0, ID_LENGTH) === id ? bytes.subarray(ID_LENGTH) : undefined;
}

/**
 * Compiles and runs the bundle as a CommonJS module. `onScript` (the build's cache maker) gets the compiled
 * script, and whether a cache was given and taken. `name` is the script's name in stack traces; a script from a
 * cache keeps the name it was made with (V8 11), so the cache is made under the name `flagops/dist/cli.cjs`
 * rather than the build's own folder.
 */
function runBundle({ file = BUNDLE, name = file, onScript } = {}) {
  const source = readFileSync(file, 'utf8');
  const id = bundleId(source);
  const cachedData = cacheFor(file, id);
  const script = new vm.Script(Module.wrap(source), {
    filename: name,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (onScript) onScript({ script, id, cached: cachedData !== undefined && !script.cachedDataRejected });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
}

module.exports = { runBundle, MARK };
