// argon2id through the WebAssembly build of @phi-ag/argon2, in workerd and in Node alike.
//
// We call the module's C exports ourselves rather than the package's JS wrapper: 0.5.28 passes
// `password.length` (UTF-16 code units) as the byte length of the UTF-8 password, so it hashes only a
// prefix of any non-ASCII password ("あいう" and "あかさ" get the same hash). Here the caller hands
// over the exact bytes.
//
// Loading differs by runtime, and this is the one seam: workerd refuses to compile WebAssembly from
// bytes at run time, so there the .wasm is an import that the bundler (the Cloudflare vite plugin in
// `astro build`, the vitest plugin in tests) ships as a compiled module; Node (the operator CLI, Node
// tests) reads the file and compiles it. Either way the instance is made once per isolate or process,
// on first use (not at startup: isolates that never see a password need not carry its heap, 16 MB
// at instantiation and about 36 MB once it has hashed at m=19 MiB).

/** The exports of the module (a WASI reactor with no imports), as compiled from phc-winner-argon2. */
interface Argon2Exports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  argon2_hash(
    t: number,
    m: number,
    p: number,
    pwd: number,
    pwdLen: number,
    salt: number,
    saltLen: number,
    hash: number,
    hashLen: number,
    encoded: number,
    encodedLen: number,
    type: number,
    version: number,
  ): number;
}

export interface Argon2idParams {
  /** Memory in KiB. */
  readonly memoryKib: number;
  readonly passes: number;
  readonly parallelism: number;
}

const ARGON2_OK = 0;
const ARGON2_ID = 2;
const ARGON2_VERSION_13 = 0x13;

const isWorkerd = () => globalThis.navigator?.userAgent === "Cloudflare-Workers";

async function compile(): Promise<WebAssembly.Module> {
  if (isWorkerd()) {
    try {
      // @ts-expect-error: .wasm imports have no type declarations; the bundler gives a WebAssembly.Module.
      const wasm: { default: WebAssembly.Module } = await import("@phi-ag/argon2/argon2.wasm");
      return wasm.default;
    } catch (cause) {
      // Vite's own .wasm handling (reading and compiling the file) takes over without that rule.
      throw new Error("argon2: the .wasm import needs a CompiledWasm module rule (vitest: miniflare.modulesRules)", { cause });
    }
  }
  // Built-ins through process.getBuiltinModule, so the Worker bundle never sees a node: import.
  const { createRequire } = process.getBuiltinModule("node:module");
  const { readFile } = process.getBuiltinModule("node:fs/promises");
  return WebAssembly.compile(await readFile(createRequire(import.meta.url).resolve("@phi-ag/argon2/argon2.wasm")));
}

let engine: Argon2Exports | undefined;

/** The instance, made on first use. The value (not a promise) is shared, so no request awaits another's. */
async function argon2(): Promise<Argon2Exports> {
  if (engine !== undefined) return engine;
  const instance = new WebAssembly.Instance(await compile(), {});
  if (engine !== undefined) return engine;
  const exports = instance.exports as unknown as Argon2Exports;
  exports._initialize();
  engine = exports;
  return exports;
}

/** Raw argon2id (version 1.3) of `password` and `salt`: `hashBytes` bytes of tag. */
export async function argon2id(password: Uint8Array, salt: Uint8Array, params: Argon2idParams, hashBytes: number): Promise<Uint8Array> {
  const wasm = await argon2();
  // malloc(0) may return 0: an empty password still gets a byte of room.
  const pwd = wasm.malloc(Math.max(password.length, 1));
  const saltAt = wasm.malloc(salt.length);
  const out = wasm.malloc(hashBytes);
  try {
    if (pwd === 0 || saltAt === 0 || out === 0) throw new Error("argon2: out of memory");
    // Views are taken afresh: the heap's buffer is replaced whenever the memory grows.
    new Uint8Array(wasm.memory.buffer).set(password, pwd);
    new Uint8Array(wasm.memory.buffer).set(salt, saltAt);
    const { memoryKib: m, passes: t, parallelism: p } = params;
    // No encoded output (null pointer, length 0): the caller writes the PHC string.
    const code = wasm.argon2_hash(t, m, p, pwd, password.length, saltAt, salt.length, out, hashBytes, 0, 0, ARGON2_ID, ARGON2_VERSION_13);
    if (code !== ARGON2_OK) throw new Error(`argon2: error ${code}`);
    return new Uint8Array(wasm.memory.buffer).slice(out, out + hashBytes);
  } catch (error) {
    // A trap may leave the module's allocator inconsistent: start over with a fresh instance.
    engine = undefined;
    throw error;
  } finally {
    if (engine === wasm) {
      new Uint8Array(wasm.memory.buffer).fill(0, pwd, pwd + password.length);
      for (const pointer of [pwd, saltAt, out]) if (pointer !== 0) wasm.free(pointer);
    }
  }
}
