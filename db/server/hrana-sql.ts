/**
 * A minimal SQLite tokenizer for the Hrana server.
 *
 * The `libsql` binding exposes neither the unparsed tail of a prepared statement nor
 * `sqlite3_bind_parameter_name`, yet libsql-server (Turso) rejects `execute` requests holding more
 * than one statement and binds arguments by parameter name. To behave the same way, the server
 * splits SQL and numbers parameters itself, following SQLite's tokenizer rules closely enough:
 * strings, quoted identifiers, comments, `CREATE TRIGGER ... BEGIN ...; END` bodies and the
 * `?`, `?NNN`, `:name`, `@name`, `$name` parameter forms.
 */

export interface ScannedStatement {
  /** The statement text, without the terminating semicolon. */
  readonly sql: string;
  /** First keyword in upper case; for `WITH ...` the keyword of the main statement after the CTEs. */
  readonly verb: string;
  /** The first few keywords/identifiers in upper case (`["ROLLBACK", "TO", ...]`). */
  readonly keywords: readonly string[];
  readonly isExplain: boolean;
  /** Entry `i` names parameter `i + 1` (`"?3"`, `":id"`); `undefined` for an anonymous `?`. */
  readonly params: ReadonlyArray<string | undefined>;
}

/** Keywords that can start the main statement of a `WITH` clause. */
const WITH_MAIN_VERBS = new Set(["SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE"]);

const isIdStart = (c: string): boolean => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;

class StatementBuilder {
  readonly start: number;
  readonly words: string[] = [];
  /** The last three significant tokens, to spot the `; END ;` that closes a trigger body. */
  readonly recent: string[] = [];
  tokenCount = 0;
  verb = "";
  readonly params: Array<string | undefined> = [];
  readonly #named = new Map<string, number>();

  constructor(start: number) {
    this.start = start;
  }

  token(kind: "word" | "param" | "other", text: string, depth: number): void {
    this.tokenCount++;
    this.recent.push(kind === "word" ? text.toUpperCase() : text);
    if (this.recent.length > 3) this.recent.shift();
    if (kind === "word") this.#word(text.toUpperCase(), depth);
    if (kind === "param") this.#param(text);
  }

  #word(upper: string, depth: number): void {
    if (this.words.length < 6) this.words.push(upper);
    if (this.verb === "") this.verb = upper;
    else if (this.verb === "WITH" && depth === 0 && WITH_MAIN_VERBS.has(upper)) this.verb = upper;
  }

  // Mirrors sqlite3ExprAssignVarNumber: `?` takes the next number, `?NNN` takes NNN, and a named
  // parameter reuses the number of an earlier occurrence of the same name.
  #param(text: string): void {
    if (text === "?") {
      this.params.push(undefined);
      return;
    }
    if (text.startsWith("?")) {
      const index = Number(text.slice(1));
      if (!Number.isInteger(index) || index < 1 || index > 32766) return; // SQLite rejects it at prepare
      while (this.params.length < index) this.params.push(undefined);
      if (this.params[index - 1] === undefined) this.params[index - 1] = text;
      return;
    }
    if (this.#named.has(text)) return;
    this.params.push(text);
    this.#named.set(text, this.params.length);
  }

  /** Inside a trigger body a semicolon only ends the statement when it follows `; END`. */
  endsAtSemicolon(): boolean {
    const words = this.words[0] === "EXPLAIN" ? this.words.slice(this.words[1] === "QUERY" ? 3 : 1) : this.words;
    if (words[0] !== "CREATE") return true;
    const isTemp = words[1] === "TEMP" || words[1] === "TEMPORARY";
    if (words[isTemp ? 2 : 1] !== "TRIGGER") return true;
    return this.recent.join(" ") === "; END ;";
  }

  finish(source: string, end: number): ScannedStatement {
    const isExplain = this.words[0] === "EXPLAIN";
    const sql = source.slice(this.start, end).trim();
    return { sql, verb: this.verb, keywords: this.words, isExplain, params: this.params };
  }
}

/** Splits `source` into its non-empty statements. Never throws: SQLite reports bad SQL at prepare. */
export function scanSql(source: string): ScannedStatement[] {
  const statements: ScannedStatement[] = [];
  let current = new StatementBuilder(0);
  let depth = 0;
  let i = 0;
  const n = source.length;
  const skipUntil = (terminator: string, from: number): number => {
    const at = source.indexOf(terminator, from);
    return at < 0 ? n : at + terminator.length;
  };

  while (i < n) {
    const c = source.charAt(i);
    const next = source.charAt(i + 1);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && next === "-") {
      i = skipUntil("\n", i + 2);
    } else if (c === "/" && next === "*") {
      i = skipUntil("*/", i + 2);
    } else if (c === "'" || c === '"' || c === "`") {
      // A doubled quote character escapes itself, so scanning to the next quote and continuing
      // while the following character is another quote handles escapes.
      let j = i + 1;
      for (;;) {
        j = skipUntil(c, j);
        if (j >= n || source.charAt(j) !== c) break;
        j++;
      }
      current.token("other", source.slice(i, j), depth);
      i = j;
    } else if (c === "[") {
      const j = skipUntil("]", i + 1);
      current.token("other", source.slice(i, j), depth);
      i = j;
    } else if (c === "?") {
      let j = i + 1;
      while (j < n && /[0-9]/.test(source.charAt(j))) j++;
      current.token("param", source.slice(i, j), depth);
      i = j;
    } else if ((c === ":" || c === "@" || c === "$") && isIdChar(next)) {
      let j = i + 1;
      // `$a::b` is one parameter name (Tcl namespace syntax, which SQLite accepts).
      while (j < n && (isIdChar(source.charAt(j)) || (source.startsWith("::", j) && isIdChar(source.charAt(j + 2))))) {
        j += source.startsWith("::", j) ? 2 : 1;
      }
      current.token("param", source.slice(i, j), depth);
      i = j;
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(source.charAt(j))) j++;
      current.token("word", source.slice(i, j), depth);
      i = j;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(source.charAt(j))) j++;
      current.token("other", source.slice(i, j), depth);
      i = j;
    } else if (c === ";") {
      if (current.tokenCount === 0) {
        current = new StatementBuilder(i + 1); // empty statement, as SQLite skips it
      } else {
        current.token("other", ";", depth);
        if (current.endsAtSemicolon()) {
          statements.push(current.finish(source, i));
          current = new StatementBuilder(i + 1);
          depth = 0;
        }
      }
      i++;
    } else {
      if (c === "(") depth++;
      if (c === ")") depth = Math.max(0, depth - 1);
      current.token("other", c, depth);
      i++;
    }
  }
  if (current.tokenCount > 0) statements.push(current.finish(source, n));
  return statements;
}
