// The ES|QL conformance table: hand-written cases per command, operator and function, each with the
// result ES|QL gives and the statement of the ES|QL reference (or of ../shared/spec/eql-esql.md /
// docs/semantics.md) that decides it. Run by tests/esql-conformance.test.ts through the reference
// evaluator and, where the module supports the query, through the WebAssembly evaluator.
//  - `where` cases: `FROM logs-* | WHERE <cond>`: does the record come back (alert)?
//  - `value` cases: `FROM logs-* | EVAL x = <expr> | KEEP x`: the value of x (JSON form).
//  - `stats` cases: a query with STATS over a few records: the rows the last record alerts with.

export interface WhereCase {
  kind: 'where';
  id: string;
  cond: string;
  doc: object;
  expected: boolean;
  spec: string;
}
export interface ValueCase {
  kind: 'value';
  id: string;
  expr: string;
  doc: object;
  expected: unknown;
  spec: string;
}
export interface QueryCase {
  kind: 'query';
  id: string;
  query: string;
  docs: object[];
  /** Rows of the last record (STATS) or of the only record. */
  expected: Record<string, unknown>[];
  lookbackMs?: number;
  spec: string;
}
export type EsqlCase = WhereCase | ValueCase | QueryCase;

const T = '2026-03-01T10:00:00.000Z';
/** An ECS document with @timestamp. */
const d = (o: Record<string, unknown> = {}): object => ({ '@timestamp': T, ...o });
const U = d({ 'user.name': 'alice', 'source.ip': '10.0.0.1', 'kubernetes.audit.verb': 'get', 'kubernetes.audit.responseStatus.code': 403, 'kubernetes.audit.requestObject.spec.hostNetwork': true });
const MV = d({ 'user.name': ['alice', 'bob'], 'source.ip': ['10.0.0.1', '10.0.0.2'], 'kubernetes.audit.responseStatus.code': [403, 404] });
const EMPTY = d();

const R = {
  eq: 'ES|QL reference, Operators: == and != compare single values; null when either side is null',
  mv: 'ES|QL reference, Multivalued fields: functions and comparisons return null (with a warning) on multi-valued input',
  cmp: 'ES|QL reference, Operators: <, <=, >, >= on numbers, keywords (byte order), dates and IPs',
  logic: 'ES|QL reference, Operators: AND, OR, NOT with three-valued logic; WHERE keeps rows whose condition is true',
  isnull: 'ES|QL reference, Operators: IS NULL / IS NOT NULL (a multi-valued field is not null)',
  in: 'ES|QL reference, Operators: IN tests membership; a miss in a list holding null is null',
  like: 'ES|QL reference, LIKE: * any sequence, ? one character, the whole string, case-sensitive',
  rlike: 'ES|QL reference, RLIKE: a Lucene regular expression matched against the whole string (eql-esql.md section 2)',
  sw: 'ES|QL reference, STARTS_WITH: boolean, null when either argument is null',
  ts: 'ES|QL reference, TO_STRING: converts each value (multi-valued stays multi-valued)',
  url: 'ES|QL reference, URL_DECODE: java.net.URLDecoder (+ is a space, %hh bytes as UTF-8; an invalid escape gives null)',
  rep: 'ES|QL reference, REPLACE: Java regular expression, every match replaced',
  cs: 'ES|QL reference, CASE: the value of the first true condition, else the default or null',
  loc: 'ES|QL reference, LOCATE: 1-based position, 0 when absent',
  dt: 'ES|QL reference, DATE_TRUNC: rounds a date down to the interval',
  now: 'eql-esql.md section 1: NOW() is the event time of the record',
  kql: 'ES|QL reference, KQL(): a KQL query on the document, as in a KQL rule',
  grok: 'ES|QL reference, GROK: named captures of the first match; no match gives null columns',
  lex: 'ES|QL reference, Syntax: case-insensitive keywords, backtick names, comments, """ strings',
  arith: 'ES|QL reference, Operators: + - * / % on numbers; date ± time span',
  stats: 'eql-esql.md section 3: STATS … BY over the look-back window ending at the record, one alert per burst',
  agg: 'ES|QL reference, Aggregate functions: COUNT, COUNT_DISTINCT, VALUES, SUM, MIN, MAX (multi-valued inputs count each value)',
  keep: 'eql-esql.md section 4: the alert carries the computed columns kept by KEEP/DROP',
};

const where = (id: string, cond: string, doc: object, expected: boolean, spec: string): WhereCase => ({ kind: 'where', id, cond, doc, expected, spec });
const value = (id: string, expr: string, doc: object, expected: unknown, spec: string): ValueCase => ({ kind: 'value', id, expr, doc, expected, spec });

export const ESQL_CASES: EsqlCase[] = [
  // ---- == and != (keyword, number, boolean, ip)
  where('eq-1', 'user.name == "alice"', U, true, R.eq),
  where('eq-2', 'user.name == "Alice"', U, false, R.eq),
  where('eq-3', 'user.name == "alic"', U, false, R.eq),
  where('eq-4', '"alice" == user.name', U, true, R.eq),
  where('eq-5', 'user.name == "alice"', EMPTY, false, R.eq),
  where('eq-6', 'user.name != "alice"', EMPTY, false, R.eq),
  where('eq-7', 'user.name != "bob"', U, true, R.eq),
  where('eq-8', 'user.name != "alice"', U, false, R.eq),
  where('eq-9', 'kubernetes.audit.responseStatus.code == 403', U, true, R.eq),
  where('eq-10', 'kubernetes.audit.responseStatus.code == 404', U, false, R.eq),
  where('eq-11', 'kubernetes.audit.responseStatus.code != 404', U, true, R.eq),
  where('eq-12', 'kubernetes.audit.responseStatus.code == 403', d({ 'kubernetes.audit.responseStatus.code': '403' }), true, R.eq),
  where('eq-13', 'kubernetes.audit.requestObject.spec.hostNetwork == true', U, true, R.eq),
  where('eq-14', 'kubernetes.audit.requestObject.spec.hostNetwork == false', U, false, R.eq),
  where('eq-15', 'source.ip == "10.0.0.1"', U, true, R.eq),
  where('eq-16', 'source.ip == "10.0.0.2"', U, false, R.eq),
  where('eq-17', 'source.ip == "::ffff:10.0.0.1"', U, true, R.eq),
  where('eq-18', 'user.name == null', U, false, R.eq),
  where('eq-19', 'user.name != null', U, false, R.eq),
  where('eq-20', 'user.name == ""', d({ 'user.name': '' }), true, R.eq),
  where('eq-21', 'user.name == "a😀"', d({ 'user.name': 'a😀' }), true, R.eq),
  where('eq-22', 'kubernetes.audit.verb == "get"', U, true, R.eq),
  // ---- multi-valued fields
  where('mv-1', 'user.name == "alice"', MV, false, R.mv),
  where('mv-2', 'user.name != "alice"', MV, false, R.mv),
  where('mv-3', 'NOT (user.name == "carol")', MV, false, R.mv),
  where('mv-4', 'user.name IN ("alice", "bob")', MV, false, R.mv),
  where('mv-5', 'user.name NOT IN ("carol")', MV, false, R.mv),
  where('mv-6', 'user.name IS NOT NULL', MV, true, R.mv),
  where('mv-7', 'user.name IS NULL', MV, false, R.mv),
  where('mv-8', 'source.ip == "10.0.0.1"', MV, false, R.mv),
  where('mv-9', 'kubernetes.audit.responseStatus.code > 0', MV, false, R.mv),
  where('mv-10', 'user.name LIKE "a*"', MV, false, R.mv),
  where('mv-11', 'STARTS_WITH(user.name, "a")', MV, false, R.mv),
  where('mv-12', 'user.name == "alice"', d({ 'user.name': ['alice', 'alice'] }), true, 'semantics.md ES|QL: keyword doc values are deduplicated, so a repeated value is one value'),
  where('mv-13', 'source.ip == "10.0.0.1"', d({ 'source.ip': ['10.0.0.1', '::ffff:10.0.0.1'] }), true, 'semantics.md ES|QL: ip doc values are deduplicated by address'),
  where('mv-14', 'user.name == "alice" OR user.name IS NOT NULL', MV, true, R.mv),
  where('mv-15', 'to_string(source.ip) IN ("10.0.0.1")', MV, false, R.mv),
  where('mv-16', 'user.name == "alice"', d({ 'user.name': ['alice'] }), true, R.mv),
  // ---- ordering comparisons
  where('cmp-1', 'kubernetes.audit.responseStatus.code >= 403', U, true, R.cmp),
  where('cmp-2', 'kubernetes.audit.responseStatus.code > 403', U, false, R.cmp),
  where('cmp-3', 'kubernetes.audit.responseStatus.code < 500', U, true, R.cmp),
  where('cmp-4', 'kubernetes.audit.responseStatus.code <= 402', U, false, R.cmp),
  where('cmp-5', 'kubernetes.audit.responseStatus.code > 402.5', U, true, R.cmp),
  where('cmp-6', 'user.name > "aa"', U, true, R.cmp),
  where('cmp-7', 'user.name < "aa"', U, false, R.cmp),
  where('cmp-8', 'user.name >= "alice"', U, true, R.cmp),
  where('cmp-9', 'user.name < "B"', U, false, R.cmp),
  where('cmp-10', 'kubernetes.audit.responseStatus.code > 0', EMPTY, false, R.cmp),
  where('cmp-11', 'NOT (kubernetes.audit.responseStatus.code > 0)', EMPTY, false, R.cmp),
  where('cmp-12', '403 <= kubernetes.audit.responseStatus.code', U, true, R.cmp),
  where('cmp-13', 'user.name > "é"', d({ 'user.name': '😀' }), true, R.cmp),
  where('cmp-14', 'kubernetes.audit.responseStatus.code < -1', d({ 'kubernetes.audit.responseStatus.code': -5 }), true, R.cmp),
  // ---- three-valued logic
  where('logic-1', 'user.name == "alice" AND kubernetes.audit.verb == "get"', U, true, R.logic),
  where('logic-2', 'user.name == "alice" AND kubernetes.audit.verb == "list"', U, false, R.logic),
  where('logic-3', 'user.name == "bob" OR kubernetes.audit.verb == "get"', U, true, R.logic),
  where('logic-4', 'user.name == "bob" OR kubernetes.audit.verb == "list"', U, false, R.logic),
  where('logic-5', 'NOT user.name == "bob"', U, true, R.logic),
  where('logic-6', 'NOT user.name == "bob"', EMPTY, false, R.logic),
  where('logic-7', 'user.name == "x" OR true', EMPTY, true, R.logic),
  where('logic-8', 'user.name == "x" AND false', EMPTY, false, R.logic),
  where('logic-9', 'NOT (user.name == "x" AND false)', EMPTY, true, R.logic),
  where('logic-10', 'NOT (user.name == "x" OR false)', EMPTY, false, R.logic),
  where('logic-11', 'NOT (user.name == "x" AND true)', EMPTY, false, R.logic),
  where('logic-12', 'true', EMPTY, true, R.logic),
  where('logic-13', 'false', U, false, R.logic),
  where('logic-14', 'null', U, false, R.logic),
  where('logic-15', 'NOT NOT user.name == "alice"', U, true, R.logic),
  where('logic-16', 'NOT (NOT user.name == "alice")', EMPTY, false, R.logic),
  where('logic-17', 'user.name == "alice" and not kubernetes.audit.verb == "list"', U, true, R.logic),
  where('logic-18', '(user.name == "bob" or user.name == "alice") and source.ip == "10.0.0.1"', U, true, R.logic),
  // ---- IS NULL
  where('isnull-1', 'user.name IS NULL', EMPTY, true, R.isnull),
  where('isnull-2', 'user.name IS NULL', U, false, R.isnull),
  where('isnull-3', 'user.name IS NOT NULL', U, true, R.isnull),
  where('isnull-4', 'user.name is not null', EMPTY, false, R.isnull),
  where('isnull-5', 'NOT user.name IS NULL', U, true, R.isnull),
  where('isnull-6', 'user.name IS NULL', d({ 'user.name': null }), true, R.isnull),
  where('isnull-7', 'kubernetes.audit.responseStatus.code IS NULL', d({ 'kubernetes.audit.responseStatus.code': 'abc' }), true, 'semantics.md ES|QL: a value the field type does not index is not a value'),
  where('isnull-8', 'source.ip IS NOT NULL', U, true, R.isnull),
  where('isnull-9', 'user.name IS NULL', d({ user: { name: { first: 'a' } } }), true, 'semantics.md 5: ES|QL IS NULL reads the field\'s own values (an object is no column), unlike KQL\'s f:*'),
  // ---- IN
  where('in-1', 'user.name IN ("bob", "alice")', U, true, R.in),
  where('in-2', 'user.name IN ("bob", "carol")', U, false, R.in),
  where('in-3', 'user.name NOT IN ("bob", "carol")', U, true, R.in),
  where('in-4', 'user.name NOT IN ("alice")', U, false, R.in),
  where('in-5', 'user.name IN ("bob", null)', U, false, R.in),
  where('in-6', 'user.name NOT IN ("bob", null)', U, false, R.in),
  where('in-7', 'user.name IN ("alice", null)', U, true, R.in),
  where('in-8', 'user.name NOT IN ("alice", null)', U, false, R.in),
  where('in-9', 'user.name IN ("alice")', EMPTY, false, R.in),
  where('in-10', 'user.name NOT IN ("alice")', EMPTY, false, R.in),
  where('in-11', 'kubernetes.audit.responseStatus.code IN (401, 403)', U, true, R.in),
  where('in-12', 'kubernetes.audit.responseStatus.code IN (401, 404)', U, false, R.in),
  where('in-13', 'source.ip IN ("::1", "10.0.0.1")', U, true, R.in),
  where('in-14', 'NOT source.ip IN ("::1", "127.0.0.1")', U, true, R.in),
  where('in-15', 'NOT source.ip IN ("::1", "127.0.0.1")', d({ 'source.ip': '::1' }), false, R.in),
  where('in-16', 'kubernetes.audit.verb in ("get", "list", "watch")', U, true, R.in),
  // ---- LIKE
  where('like-1', 'user.name LIKE "al*"', U, true, R.like),
  where('like-2', 'user.name LIKE "*ice"', U, true, R.like),
  where('like-3', 'user.name LIKE "a?ice"', U, true, R.like),
  where('like-4', 'user.name LIKE "a?ce"', U, false, R.like),
  where('like-5', 'user.name LIKE "AL*"', U, false, R.like),
  where('like-6', 'user.name LIKE "alice"', U, true, R.like),
  where('like-7', 'user.name LIKE "ali"', U, false, R.like),
  where('like-8', 'user.name NOT LIKE "b*"', U, true, R.like),
  where('like-9', 'user.name NOT LIKE "a*"', U, false, R.like),
  where('like-10', 'user.name LIKE "*"', EMPTY, false, R.like),
  where('like-11', 'NOT user.name LIKE "b*"', EMPTY, false, R.like),
  where('like-12', 'user.name LIKE "?"', d({ 'user.name': '😀' }), true, R.like),
  where('like-13', 'user.name LIKE "*:*"', d({ 'user.name': 'system:node' }), true, R.like),
  where('like-14', 'user.name LIKE "sh.helm.release.*"', d({ 'user.name': 'sh.helm.release.v1.x' }), true, R.like),
  where('like-15', 'user.name LIKE "sh.helm.release.*"', d({ 'user.name': 'shXhelm.release.v1' }), false, R.like),
  where('like-16', 'user.name like "*command=*"', d({ 'user.name': '/exec?command=ls' }), true, R.like),
  // ---- RLIKE (Lucene)
  where('rlike-1', 'user.name RLIKE "al.*"', U, true, R.rlike),
  where('rlike-2', 'user.name RLIKE "lic"', U, false, R.rlike),
  where('rlike-3', 'user.name RLIKE ".*lic.*"', U, true, R.rlike),
  where('rlike-4', 'user.name RLIKE "a[a-z]+"', U, true, R.rlike),
  where('rlike-5', 'user.name RLIKE "A.*"', U, false, R.rlike),
  where('rlike-6', 'user.name RLIKE """a\\s+b"""', d({ 'user.name': 'a \t b' }), true, 'eql-esql.md section 2: in Lucene 9+ \\s is the whitespace class'),
  where('rlike-7', 'user.name RLIKE """\\d+"""', d({ 'user.name': '2024' }), true, 'eql-esql.md section 2: in Lucene 9+ \\d is the digit class'),
  where('rlike-8', 'user.name RLIKE """\\w+"""', d({ 'user.name': 'a_1' }), true, 'eql-esql.md section 2: in Lucene 9+ \\w is the word class'),
  where('rlike-9', 'user.name RLIKE "a&b"', d({ 'user.name': 'a&b' }), false, 'eql-esql.md section 2: & is the intersection operator'),
  where('rlike-10', 'user.name RLIKE """a\\&b"""', d({ 'user.name': 'a&b' }), true, 'Lucene RegExp: \\& is the literal &'),
  where('rlike-11', 'user.name RLIKE ".*&.*"', d({ 'user.name': 'xyz' }), true, 'eql-esql.md section 2: & is an operator: .* intersected with .* is .*, no & needed'),
  where('rlike-12', 'user.name RLIKE "~(alice)"', U, false, 'eql-esql.md section 2: ~ is the complement operator'),
  where('rlike-13', 'user.name RLIKE "~(bob)"', U, true, 'eql-esql.md section 2: ~ is the complement operator'),
  where('rlike-14', 'user.name RLIKE "@"', U, true, 'eql-esql.md section 2: @ is any string'),
  where('rlike-15', 'user.name RLIKE "#"', EMPTY, false, 'eql-esql.md section 2: # is the empty language'),
  where('rlike-16', 'user.name RLIKE "<1-100>"', d({ 'user.name': '42' }), true, 'eql-esql.md section 2: <n-m> is a numeric interval'),
  where('rlike-17', 'user.name RLIKE "<1-100>"', d({ 'user.name': '420' }), false, 'eql-esql.md section 2: <n-m> is a numeric interval'),
  where('rlike-18', 'user.name RLIKE "<01-10>"', d({ 'user.name': '7' }), false, 'Lucene RegExp: bounds of equal width fix the number of digits'),
  where('rlike-19', 'user.name RLIKE "<1-10>"', d({ 'user.name': '007' }), true, 'Lucene RegExp: bounds of different width allow leading zeros'),
  where('rlike-20', 'user.name RLIKE """"a.b""""', d({ 'user.name': 'a.b' }), true, 'Lucene RegExp: "..." is a literal string'),
  where('rlike-21', 'user.name RLIKE "a.b"', d({ 'user.name': 'a\nb' }), true, 'Lucene RegExp: . matches any character, newline included'),
  where('rlike-22', 'user.name RLIKE "(ab){2}"', d({ 'user.name': 'abab' }), true, R.rlike),
  where('rlike-23', 'user.name RLIKE "(ab){2}"', d({ 'user.name': 'ababab' }), false, R.rlike),
  where('rlike-24', 'user.name RLIKE "[^a].*"', U, false, R.rlike),
  where('rlike-25', 'user.name NOT RLIKE "b.*"', U, true, R.rlike),
  where('rlike-26', 'NOT user.name RLIKE "b.*"', EMPTY, false, R.rlike),
  where('rlike-27', 'user.name RLIKE "."', d({ 'user.name': '😀' }), true, 'Lucene RegExp: . is one code point'),
  where('rlike-28', 'user.name rlike """(system:kube-|eks:).*"""', d({ 'user.name': 'eks:node' }), true, R.rlike),
  // ---- STARTS_WITH
  where('sw-1', 'STARTS_WITH(user.name, "al")', U, true, R.sw),
  where('sw-2', 'STARTS_WITH(user.name, "Al")', U, false, R.sw),
  where('sw-3', 'STARTS_WITH(user.name, "")', U, true, R.sw),
  where('sw-4', 'STARTS_WITH(user.name, "al")', EMPTY, false, R.sw),
  where('sw-5', 'NOT STARTS_WITH(user.name, "al")', EMPTY, false, R.sw),
  where('sw-6', 'NOT STARTS_WITH(user.name, "bo")', U, true, R.sw),
  where('sw-7', 'starts_with(user.name, "system:serviceaccount:azure-arc:")', d({ 'user.name': 'system:serviceaccount:azure-arc:proxy' }), true, R.sw),
  where('sw-8', 'STARTS_WITH(user.name, "alice2")', U, false, R.sw),
  // ---- TO_STRING in conditions
  where('ts-1', 'TO_STRING(source.ip) IN ("10.0.0.1")', U, true, R.ts),
  where('ts-2', 'NOT to_string(source.ip) in ("127.0.0.1", "::1")', U, true, R.ts),
  where('ts-3', 'NOT to_string(source.ip) in ("127.0.0.1", "::1")', d({ 'source.ip': '0:0:0:0:0:0:0:1' }), false, 'semantics.md ES|QL: TO_STRING prints an IP in canonical form (::1)'),
  where('ts-4', 'TO_STRING(source.ip) == "::ffff:10.0.0.1"', U, false, 'semantics.md ES|QL: TO_STRING prints an IPv4-mapped address as IPv4'),
  where('ts-5', 'to_string(source.ip) == "10.0.0.1"', EMPTY, false, R.ts),
  where('ts-6', 'NOT to_string(source.ip) in ("127.0.0.1", "::1")', MV, false, R.mv),
  where('ts-7', 'source.ip IS NOT NULL AND NOT to_string(source.ip) in ("127.0.0.1", "::1")', { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', stage: 'ResponseComplete', verb: 'get', sourceIPs: ['203.0.113.24', '10.0.0.5'], user: { username: 'a' } }, false, R.mv),
  where('ts-8', 'source.ip IS NOT NULL AND NOT to_string(source.ip) in ("127.0.0.1", "::1")', { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', stage: 'ResponseComplete', verb: 'get', sourceIPs: ['203.0.113.24'], user: { username: 'a' } }, true, R.ts),
  // ---- KQL()
  where('kql-1', 'KQL("""user.name:alice""")', U, true, R.kql),
  where('kql-2', 'KQL("""user.name:bob""")', U, false, R.kql),
  where('kql-3', 'KQL("""user.name:bob""")', MV, true, 'ES|QL reference, KQL(): a Lucene query, so any value of a multi-valued field matches'),
  where('kql-4', 'NOT KQL("""user.name:alice""")', EMPTY, true, 'ES|QL reference, KQL(): never null (a missing field does not match)'),
  where('kql-5', 'KQL("""user.name:al*""")', U, true, R.kql),
  where('kql-6', 'KQL("""user.name:* and not kubernetes.audit.verb:list""")', U, true, R.kql),
  where('kql-7', 'user.name == "alice" AND KQL("""source.ip:10.0.0.0/8""")', U, true, R.kql),
  where('kql-8', 'KQL(""" kubernetes.audit.verb:("list" or "watch") """)', U, false, R.kql),
  // ---- lexical: keywords in any case, backticks, comments, strings
  where('lex-1', 'user.name == "alice" aNd kubernetes.audit.verb == "get"', U, true, R.lex),
  where('lex-2', '`user`.`name` == "alice"', U, true, R.lex),
  where('lex-3', '`user.name` == "alice"', U, true, R.lex),
  where('lex-4', 'user.name == "alice" // a comment', U, true, R.lex),
  where('lex-5', 'user.name /* inline */ == "alice"', U, true, R.lex),
  where('lex-6', 'user.name == """alice"""', U, true, R.lex),
  where('lex-7', 'user.name == "a\\"b"', d({ 'user.name': 'a"b' }), true, R.lex),
  where('lex-8', 'user.name == "a\\\\b"', d({ 'user.name': 'a\\b' }), true, R.lex),
  where('lex-9', 'user.name == """a\\b"""', d({ 'user.name': 'a\\b' }), true, 'ES|QL reference: triple-quoted strings take backslashes literally'),
  where('lex-10', 'user.name IS not NULL', U, true, R.lex),
  where('lex-11', 'user.name == "a\\tb"', d({ 'user.name': 'a\tb' }), true, R.lex),
  where('lex-13', 'user.name == "ALICE"', U, false, 'ES|QL reference, Syntax: string literals are case-sensitive (only keywords are not)'),
  where('lex-12', '`kubernetes.audit.annotations.authorization_k8s_io/decision` == "allow"', d({ 'kubernetes.audit.annotations.authorization_k8s_io/decision': 'allow' }), true, R.lex),

  // ---- values: TO_STRING
  value('tsv-1', 'TO_STRING(source.ip)', U, '10.0.0.1', R.ts),
  value('tsv-2', 'TO_STRING(source.ip)', MV, ['10.0.0.1', '10.0.0.2'], R.ts),
  value('tsv-3', 'TO_STRING(kubernetes.audit.responseStatus.code)', U, '403', R.ts),
  value('tsv-4', 'TO_STRING(kubernetes.audit.requestObject.spec.hostNetwork)', U, 'true', R.ts),
  value('tsv-5', 'TO_STRING(user.name)', EMPTY, null, R.ts),
  value('tsv-6', 'TO_STRING(@timestamp)', U, '2026-03-01T10:00:00.000Z', R.ts),
  value('tsv-7', 'TO_STRING(source.ip)', d({ 'source.ip': '2001:db8:0:0:0:0:0:1' }), '2001:db8::1', R.ts),
  // ---- URL_DECODE
  value('url-1', 'URL_DECODE(user.name)', d({ 'user.name': 'a%20b' }), 'a b', R.url),
  value('url-2', 'URL_DECODE(user.name)', d({ 'user.name': 'a+b' }), 'a b', R.url),
  value('url-3', 'URL_DECODE(user.name)', d({ 'user.name': '%2Fdev%2Ftcp' }), '/dev/tcp', R.url),
  value('url-4', 'URL_DECODE(user.name)', d({ 'user.name': '%C3%A9' }), 'é', R.url),
  value('url-5', 'URL_DECODE(user.name)', d({ 'user.name': '%zz' }), null, R.url),
  value('url-6', 'URL_DECODE(user.name)', d({ 'user.name': 'abc%' }), null, R.url),
  value('url-7', 'URL_DECODE(user.name)', d({ 'user.name': '%C3%28' }), '\uFFFD(', R.url),
  value('url-8', 'URL_DECODE(user.name)', d({ 'user.name': '%2B' }), '+', R.url),
  value('url-9', 'URL_DECODE(user.name)', MV, null, R.mv),
  value('url-10', 'URL_DECODE(user.name)', EMPTY, null, R.url),
  value('url-11', 'URL_DECODE(user.name)', d({ 'user.name': '%F0%9F%98%80' }), '😀', R.url),
  value('url-12', 'URL_DECODE(user.name)', d({ 'user.name': '%+1' }), '\u0001', 'java.net.URLDecoder: the two characters are read by Integer.parseInt(.., 16), which takes a sign'),
  value('url-13', 'URL_DECODE(user.name)', d({ 'user.name': '%-1' }), null, 'java.net.URLDecoder: a negative value is an illegal escape'),
  value('url-14', 'URL_DECODE(user.name)', d({ 'user.name': 'plain' }), 'plain', R.url),
  // ---- REPLACE
  value('rep-1', 'REPLACE(user.name, "command=", "")', d({ 'user.name': 'command=ls&command=-la' }), 'ls&-la', R.rep),
  value('rep-2', 'REPLACE(user.name, "&", " ")', d({ 'user.name': 'a&b&c' }), 'a b c', R.rep),
  value('rep-3', 'REPLACE(user.name, "\\\\+", " ")', d({ 'user.name': 'a+b++c' }), 'a b  c', R.rep),
  value('rep-4', 'REPLACE(user.name, "aa", "b")', d({ 'user.name': 'aaa' }), 'ba', R.rep),
  value('rep-5', 'REPLACE(user.name, "x", "y")', EMPTY, null, R.rep),
  value('rep-6', 'REPLACE(user.name, "x", "y")', MV, null, R.mv),
  value('rep-7', 'REPLACE(user.name, "é", "e")', d({ 'user.name': 'café' }), 'cafe', R.rep),
  value('rep-8', 'REPLACE(user.name, "[0-9]+", "#")', d({ 'user.name': 'a12b3' }), 'a#b#', R.rep),
  value('rep-9', 'REPLACE(user.name, "\\\\.", "-")', d({ 'user.name': 'a.b.c' }), 'a-b-c', R.rep),
  value('rep-10', 'REPLACE(user.name, "b", "")', d({ 'user.name': 'bbb' }), '', R.rep),
  // ---- CASE
  value('case-1', 'CASE(user.name == "alice", "A", "other")', U, 'A', R.cs),
  value('case-2', 'CASE(user.name == "bob", "B", "other")', U, 'other', R.cs),
  value('case-3', 'CASE(user.name == "bob", "B")', U, null, R.cs),
  value('case-4', 'CASE(user.name == "bob", "B", user.name == "alice", "A", "other")', U, 'A', R.cs),
  value('case-5', 'CASE(user.name == "x", "X", "null-is-not-true")', EMPTY, 'null-is-not-true', R.cs),
  value('case-6', 'CASE(true, "t", "f")', EMPTY, 't', R.cs),
  value('case-7', 'CASE(user.name RLIKE "a.*", "starts-a", "no")', U, 'starts-a', R.cs),
  value('case-8', 'CASE(user.name == "alice", 1, 0)', U, 1, R.cs),
  value('case-9', 'CASE(kubernetes.audit.responseStatus.code >= 400, "fail", "ok")', U, 'fail', R.cs),
  value('case-10', 'CASE(user.name == "alice", user.name, "x")', U, 'alice', R.cs),
  // ---- LOCATE
  value('loc-1', 'LOCATE(user.name, "ice")', U, 3, R.loc),
  value('loc-2', 'LOCATE(user.name, "zz")', U, 0, R.loc),
  value('loc-3', 'LOCATE(user.name, "a")', U, 1, R.loc),
  value('loc-4', 'LOCATE(user.name, "a", 2)', d({ 'user.name': 'abca' }), 4, R.loc),
  value('loc-5', 'LOCATE(user.name, "b")', d({ 'user.name': '😀b' }), 2, R.loc),
  value('loc-6', 'LOCATE(user.name, "x")', EMPTY, null, R.loc),
  // ---- DATE_TRUNC, NOW, arithmetic
  value('dt-1', 'DATE_TRUNC(1 minute, @timestamp)', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:07:00.000Z', R.dt),
  value('dt-2', 'DATE_TRUNC(1 hour, @timestamp)', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:00:00.000Z', R.dt),
  value('dt-3', 'DATE_TRUNC(1 day, @timestamp)', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T00:00:00.000Z', R.dt),
  value('dt-4', 'DATE_TRUNC(1 month, @timestamp)', d({ '@timestamp': '2026-03-17T10:07:42.123Z' }), '2026-03-01T00:00:00.000Z', R.dt),
  value('dt-5', 'DATE_TRUNC(1 year, @timestamp)', d({ '@timestamp': '2026-03-17T10:07:42.123Z' }), '2026-01-01T00:00:00.000Z', R.dt),
  value('dt-6', 'DATE_TRUNC(5 minutes, @timestamp)', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:05:00.000Z', R.dt),
  value('now-1', 'NOW()', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:07:42.123Z', R.now),
  value('now-2', 'NOW() - 9 minutes', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T09:58:42.123Z', R.now),
  value('now-3', '@timestamp', { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', stage: 'ResponseComplete', verb: 'get', stageTimestamp: '2026-03-01T10:00:05.000000Z', user: { username: 'a' } }, '2026-03-01T10:00:05.000Z', 'eql-esql.md section 1: @timestamp of a raw audit event is its event time'),
  value('arith-1', 'kubernetes.audit.responseStatus.code + 1', U, 404, R.arith),
  value('arith-2', 'kubernetes.audit.responseStatus.code / 2', U, 201, R.arith),
  value('arith-3', 'kubernetes.audit.responseStatus.code % 100', U, 3, R.arith),
  value('arith-4', 'kubernetes.audit.responseStatus.code * 2.5', U, 1007.5, R.arith),
  value('arith-5', 'kubernetes.audit.responseStatus.code - 403', U, 0, R.arith),
  value('arith-6', 'kubernetes.audit.responseStatus.code + 1', EMPTY, null, R.arith),
  value('arith-7', 'kubernetes.audit.responseStatus.code / 0', U, null, R.arith),
  value('arith-8', '-kubernetes.audit.responseStatus.code', U, -403, R.arith),
  value('arith-9', '@timestamp + 1 hour', d({ '@timestamp': '2026-03-01T10:00:00.000Z' }), '2026-03-01T11:00:00.000Z', R.arith),
  value('arith-10', 'kubernetes.audit.responseStatus.code + 1', MV, null, R.mv),
  // ---- typed EVAL columns: integers, dates, TO_STRING of them, LOCATE and DATE_TRUNC edges
  value('loc-7', 'LOCATE(user.name, "a", 5)', d({ 'user.name': 'abca' }), 0, R.loc),
  value('loc-8', 'LOCATE(user.name, "", 5)', d({ 'user.name': 'abca' }), 5, R.loc),
  value('loc-9', 'LOCATE(user.name, "a", 0)', d({ 'user.name': 'abca' }), 1, R.loc),
  value('loc-10', 'LOCATE(user.name, "é", 2)', d({ 'user.name': 'éxé' }), 3, R.loc),
  value('loc-11', 'LOCATE(user.name, "a")', MV, null, R.mv),
  value('loc-12', 'TO_STRING(LOCATE(user.name, "ice"))', U, '3', R.ts),
  value('dt-7', 'DATE_TRUNC(1 hour, @timestamp)', { 'user.name': 'no-timestamp' }, '2025-01-01T00:00:00.000Z', 'eql-esql.md section 1: @timestamp of a record without one is its event time'),
  value('dt-8', 'DATE_TRUNC(1 minute, @timestamp)', d({ '@timestamp': '1969-12-31T23:59:30.500Z' }), '1969-12-31T23:59:00.000Z', R.dt),
  value('dt-9', 'TO_STRING(DATE_TRUNC(10 seconds, @timestamp))', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:07:40.000Z', R.ts),
  value('dt-10', 'DATE_TRUNC(1 minute, @timestamp)', d({ '@timestamp': ['2026-03-01T10:07:42.123Z', '2026-03-01T10:08:42.123Z'] }), null, R.mv),
  value('dt-11', 'DATE_TRUNC(1 minute, kubernetes.audit.stageTimestamp)', d({ 'kubernetes.audit.stageTimestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:07:00.000Z', R.dt),
  value('now-4', 'TO_STRING(NOW())', d({ '@timestamp': '2026-03-01T10:07:42.123Z' }), '2026-03-01T10:07:42.123Z', R.now),
  value('num-1', '42', EMPTY, 42, 'ES|QL reference, Literals: an integer literal is an integer value'),
  value('num-2', 'CASE(kubernetes.audit.responseStatus.code IN (401, 403), 1, kubernetes.audit.responseStatus.code >= 500, 2, 0)', U, 1, R.cs),
  value('num-3', 'TO_STRING(CASE(user.name == "alice", 7, 0))', U, '7', R.ts),
  value('ts-ip-1', 'CASE(TO_STRING(source.ip) == "::1", "canonical", "other")', d({ 'source.ip': '0:0:0:0:0:0:0:1' }), 'canonical', R.ts),
  value('ts-ip-2', 'CASE(TO_STRING(source.ip) == "10.0.0.1", "dotted", "other")', d({ 'source.ip': '::ffff:10.0.0.1' }), 'dotted', R.ts),
  value('ts-ip-3', 'CASE(TO_STRING(source.ip) == "2001:db8::1:0:0:1", "first-run", "other")', d({ 'source.ip': '2001:DB8:0:0:1:0:0:1' }), 'first-run', R.ts),
  value('ts-ip-6', 'CASE(TO_STRING(source.ip) == "2001:0:0:1::1", "longest-run", "other")', d({ 'source.ip': '2001:0:0:1:0:0:0:1' }), 'longest-run', R.ts),
  value('ts-ip-7', 'CASE(TO_STRING(source.ip) == "1:0:2::", "trailing-run", "other")', d({ 'source.ip': '1:0:2:0:0:0:0:0' }), 'trailing-run', R.ts),
  value('ts-ip-8', 'CASE(TO_STRING(source.ip) == "1:0:2:3:4:5:6:7", "single-zero-kept", "other")', d({ 'source.ip': '1:0:2:3:4:5:6:7' }), 'single-zero-kept', R.ts),
  value('ts-ip-4', 'CASE(TO_STRING(source.ip) == "fe80::1", "link-local", "other")', d({ 'source.ip': 'fe80:0:0:0:0:0:0:1' }), 'link-local', R.ts),
  value('ts-ip-5', 'CASE(TO_STRING(source.ip) IS NULL, "none", "some")', MV, 'some', R.isnull),

  // ---- GROK and whole pipelines
  // ---- integer and date columns in later WHERE and CASE (the anonymous-enumeration rule's EVALs)
  { kind: 'query', id: 'num-4', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| EVAL o = CASE(c IN (401, 403), "denied", c >= 200 AND c < 300, "success", c == 404, "not_found", c IS NULL, "unknown", "other")\n| KEEP o', docs: [U], expected: [{ o: 'denied' }], spec: R.cs },
  { kind: 'query', id: 'num-5', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| EVAL o = CASE(c IN (401, 403), "denied", c >= 200 AND c < 300, "success", c == 404, "not_found", c IS NULL, "unknown", "other")\n| KEEP o', docs: [d({ 'kubernetes.audit.responseStatus.code': 201 })], expected: [{ o: 'success' }], spec: R.cs },
  { kind: 'query', id: 'num-6', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| EVAL o = CASE(c IN (401, 403), "denied", c >= 200 AND c < 300, "success", c == 404, "not_found", c IS NULL, "unknown", "other")\n| KEEP o', docs: [EMPTY], expected: [{ o: 'unknown' }], spec: R.isnull },
  { kind: 'query', id: 'num-7', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| EVAL o = CASE(c IN (401, 403), "denied", c >= 200 AND c < 300, "success", c == 404, "not_found", c IS NULL, "unknown", "other")\n| KEEP o', docs: [MV], expected: [{ o: 'other' }], spec: R.mv },
  { kind: 'query', id: 'num-8', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| WHERE 400 <= c\n| EVAL x = "kept"\n| KEEP x', docs: [U], expected: [{ x: 'kept' }], spec: R.cmp },
  { kind: 'query', id: 'num-9', query: 'FROM logs-*\n| EVAL c = kubernetes.audit.responseStatus.code\n| WHERE c > 403\n| EVAL x = "kept"\n| KEEP x', docs: [U], expected: [], spec: R.cmp },
  { kind: 'query', id: 'num-10', query: 'FROM logs-*\n| EVAL p = LOCATE(user.name, "adm")\n| WHERE p > 0\n| KEEP p', docs: [d({ 'user.name': 'sysadmin' })], expected: [{ p: 4 }], spec: R.loc },
  { kind: 'query', id: 'num-11', query: 'FROM logs-*\n| EVAL p = LOCATE(user.name, "adm")\n| WHERE p > 0\n| KEEP p', docs: [U], expected: [], spec: R.loc },
  { kind: 'query', id: 'dt-12', query: 'FROM logs-*\n| EVAL m = DATE_TRUNC(1 minute, @timestamp), n = NOW()\n| WHERE n >= "2026-03-01T10:07:00.000Z"\n| KEEP m, n', docs: [d({ '@timestamp': '2026-03-01T10:07:42.123Z' })], expected: [{ m: '2026-03-01T10:07:00.000Z', n: '2026-03-01T10:07:42.123Z' }], spec: R.now },
  { kind: 'query', id: 'dt-13', query: 'FROM logs-*\n| EVAL m = DATE_TRUNC(1 minute, @timestamp)\n| WHERE m < "2026-03-01T10:07:00.000Z"\n| KEEP m', docs: [d({ '@timestamp': '2026-03-01T10:07:42.123Z' })], expected: [], spec: R.cmp },
  { kind: 'query', id: 'dt-14', query: 'FROM logs-*\n| EVAL first = DATE_TRUNC(1 minute, @timestamp)\n| WHERE first >= NOW() - 9 minutes\n| KEEP first', docs: [d({ '@timestamp': '2026-03-01T10:07:42.123Z' })], expected: [{ first: '2026-03-01T10:07:00.000Z' }], spec: R.now },
  { kind: 'query', id: 'dt-15', query: 'FROM logs-*\n| EVAL first = DATE_TRUNC(1 hour, @timestamp)\n| WHERE first >= NOW() - 5 minutes\n| KEEP first', docs: [d({ '@timestamp': '2026-03-01T10:07:42.123Z' })], expected: [], spec: R.now },
  { kind: 'query', id: 'dt-16', query: 'FROM logs-*\n| EVAL a = LOCATE(user.name, "i"), b = LOCATE(user.name, "e")\n| WHERE a < b\n| KEEP a, b', docs: [U], expected: [{ a: 3, b: 5 }], spec: R.cmp },
  { kind: 'query', id: 'dt-17', query: 'FROM logs-*\n| EVAL a = LOCATE(user.name, "i"), b = LOCATE(user.name, "zz")\n| WHERE a < b\n| KEEP a, b', docs: [U], expected: [], spec: R.cmp },
  { kind: 'query', id: 'grok-1', query: 'FROM logs-*\n| GROK user.name "%{DATA}/exec\\\\?%{DATA:raw}&(?:container|stdin|stdout|stderr)=%{GREEDYDATA}"\n| KEEP raw', docs: [d({ 'user.name': '/api/v1/namespaces/a/pods/b/exec?command=ls&command=-l&container=c&stdin=true' })], expected: [{ raw: 'command=ls&command=-l' }], spec: R.grok },
  { kind: 'query', id: 'grok-2', query: 'FROM logs-*\n| GROK user.name "%{DATA}/exec\\\\?%{DATA:raw}&(?:container|stdin|stdout|stderr)=%{GREEDYDATA}"\n| KEEP raw', docs: [d({ 'user.name': '/exec?command=ls' })], expected: [{ raw: null }], spec: R.grok },
  { kind: 'query', id: 'grok-3', query: 'FROM logs-*\n| GROK user.name "%{NOTSPACE:first} %{GREEDYDATA:rest}"\n| KEEP first, rest', docs: [d({ 'user.name': 'curl -s https://x' })], expected: [{ first: 'curl', rest: '-s https://x' }], spec: R.grok },
  { kind: 'query', id: 'grok-4', query: 'FROM logs-*\n| GROK user.name "code=%{INT:code}"\n| KEEP code', docs: [d({ 'user.name': 'x code=-42 y' })], expected: [{ code: '-42' }], spec: 'ES|QL reference, GROK: the pattern matches anywhere in the input (not anchored)' },
  { kind: 'query', id: 'grok-5', query: 'FROM logs-*\n| GROK user.name "a%{DATA:x}b"\n| KEEP x', docs: [d({ 'user.name': 'a1b2b' })], expected: [{ x: '1' }], spec: 'grok DATA is .*? (lazy): the shortest capture of the leftmost match' },
  { kind: 'query', id: 'grok-6', query: 'FROM logs-*\n| GROK user.name "a%{GREEDYDATA:x}b"\n| KEEP x', docs: [d({ 'user.name': 'a1b2b' })], expected: [{ x: '1b2' }], spec: 'grok GREEDYDATA is .* (greedy): the longest capture of the leftmost match' },
  { kind: 'query', id: 'grok-7', query: 'FROM logs-*\n| GROK user.name "%{DATA:x}="\n| KEEP x', docs: [d({ 'user.name': 'ab\ncd=' })], expected: [{ x: 'cd' }], spec: 'Oniguruma (grok): . does not match a newline, so the match starts after it' },
  { kind: 'query', id: 'grok-8', query: 'FROM logs-*\n| GROK user.name "%{WORD:x}"\n| KEEP x', docs: [d({ 'user.name': 'a' })], expected: [], spec: 'semantics.md ES|QL: GROK patterns outside the supported list are refused (the reference throws)' },
  { kind: 'query', id: 'pipe-1', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| EVAL b = REPLACE(a, "command=", "")\n| WHERE b RLIKE ".*curl.*"\n| KEEP *', docs: [d({ 'user.name': 'command=curl+-s' })], expected: [{ a: 'command=curl -s', b: 'curl -s' }], spec: R.keep },
  { kind: 'query', id: 'pipe-2', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE a RLIKE ".*wget.*"\n| KEEP *', docs: [d({ 'user.name': 'command=curl+-s' })], expected: [], spec: R.logic },
  { kind: 'query', id: 'pipe-3', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name), b = CASE(a RLIKE ".*x.*", "X", "no")\n| KEEP b', docs: [d({ 'user.name': 'x' })], expected: [{ b: 'X' }], spec: 'ES|QL reference, EVAL: later columns of one EVAL see earlier ones' },
  { kind: 'query', id: 'pipe-4', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| EVAL a = REPLACE(a, "x", "y")\n| KEEP a', docs: [d({ 'user.name': 'xx' })], expected: [{ a: 'yy' }], spec: 'ES|QL reference, EVAL: a column written again replaces the old one' },
  { kind: 'query', id: 'pipe-5', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name), b = "k"\n| DROP a\n| KEEP *', docs: [d({ 'user.name': 'xx' })], expected: [{ b: 'k' }], spec: 'ES|QL reference, DROP removes columns' },
  { kind: 'query', id: 'pipe-6', query: 'FROM logs-*\n| EVAL Esql.a = URL_DECODE(user.name), other = "o"\n| KEEP Esql.*', docs: [d({ 'user.name': 'q' })], expected: [{ 'Esql.a': 'q' }], spec: 'ES|QL reference, KEEP: * matches any part of a column name' },
  { kind: 'query', id: 'pipe-7', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE a IS NULL\n| KEEP a', docs: [d({ 'user.name': '%zz' })], expected: [{ a: null }], spec: R.url },
  { kind: 'query', id: 'pipe-8', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE a == "b c" AND user.name == "b+c"\n| KEEP a', docs: [d({ 'user.name': 'b+c' })], expected: [{ a: 'b c' }], spec: R.logic },
  { kind: 'query', id: 'pipe-9', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE a IN ("x", "y")\n| KEEP a', docs: [d({ 'user.name': 'y' })], expected: [{ a: 'y' }], spec: R.in },
  { kind: 'query', id: 'pipe-10', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE a LIKE "*y"\n| KEEP a', docs: [d({ 'user.name': 'xy' })], expected: [{ a: 'xy' }], spec: R.like },
  { kind: 'query', id: 'pipe-11', query: 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| WHERE NOT a RLIKE "x.*"\n| KEEP a', docs: [d({ 'user.name': '%zz' })], expected: [], spec: R.logic },
  { kind: 'query', id: 'pipe-12', query: 'from logs-* metadata _id, _index\n| where user.name == "alice"\n| keep user.name, _id', docs: [U], expected: [{}], spec: 'semantics.md ES|QL: document fields and metadata are not repeated in the alert (the record carries them)' },

  // ---- STATS over a stream (windows of the look-back, one alert per burst)
  ...statsCases(),
];

function statsCases(): QueryCase[] {
  const at = (min: number, o: Record<string, unknown>) => ({ ...o, '@timestamp': new Date(Date.UTC(2026, 2, 1, 10, min)).toISOString() });
  const q = (tail: string) => `FROM logs-*\n| STATS ${tail}`;
  const g = (user: string, verb: string, min: number, extra: Record<string, unknown> = {}) => at(min, { 'user.name': user, 'kubernetes.audit.verb': verb, ...extra });
  const L = 6 * 60_000;
  return [
    { kind: 'query', id: 'stats-1', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 3'), docs: [g('a', 'get', 0), g('a', 'get', 1), g('a', 'list', 2)], expected: [{ n: 3, 'user.name': 'a' }], lookbackMs: L, spec: R.stats },
    { kind: 'query', id: 'stats-2', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 3'), docs: [g('a', 'get', 0), g('b', 'get', 1), g('a', 'list', 2)], expected: [], lookbackMs: L, spec: R.stats },
    { kind: 'query', id: 'stats-3', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 3'), docs: [g('a', 'get', 0), g('a', 'get', 1), g('a', 'list', 7)], expected: [], lookbackMs: L, spec: 'eql-esql.md section 3: the window is (t - L, t]: an event L old has left it' },
    { kind: 'query', id: 'stats-4', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 2'), docs: [g('a', 'get', 0), g('a', 'get', 1), g('a', 'list', 2)], expected: [], lookbackMs: L, spec: 'eql-esql.md section 3: one alert per burst (the group is quiet until its contributing events left the window)' },
    { kind: 'query', id: 'stats-5', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 2'), docs: [g('a', 'get', 0), g('a', 'get', 1), g('a', 'get', 8), g('a', 'get', 9)], expected: [{ n: 2, 'user.name': 'a' }], lookbackMs: L, spec: 'eql-esql.md section 3: after the burst has left the window the group alerts again' },
    { kind: 'query', id: 'stats-6', query: q('c = COUNT_DISTINCT(kubernetes.audit.verb) BY user.name\n| WHERE c >= 2'), docs: [g('a', 'get', 0), g('a', 'get', 1), g('a', 'list', 2)], expected: [{ c: 2, 'user.name': 'a' }], lookbackMs: L, spec: R.agg },
    { kind: 'query', id: 'stats-7', query: q('v = VALUES(kubernetes.audit.verb), n = COUNT(*) BY user.name\n| WHERE n >= 2\n| KEEP v, user.name'), docs: [g('a', 'list', 0), g('a', 'get', 1)], expected: [{ v: ['get', 'list'], 'user.name': 'a' }], lookbackMs: L, spec: R.agg },
    { kind: 'query', id: 'stats-8', query: q('s = SUM(kubernetes.audit.responseStatus.code) BY user.name'), docs: [g('a', 'get', 0, { 'kubernetes.audit.responseStatus.code': 200 }), g('a', 'get', 1, { 'kubernetes.audit.responseStatus.code': 403 })], expected: [], lookbackMs: L, spec: 'eql-esql.md section 3: without a condition the first row alerts, then the group is quiet' },
    { kind: 'query', id: 'stats-9', query: q('s = SUM(kubernetes.audit.responseStatus.code) BY user.name\n| WHERE s > 500'), docs: [g('a', 'get', 0, { 'kubernetes.audit.responseStatus.code': 200 }), g('a', 'get', 1, { 'kubernetes.audit.responseStatus.code': 403 })], expected: [{ s: 603, 'user.name': 'a' }], lookbackMs: L, spec: R.agg },
    { kind: 'query', id: 'stats-10', query: q('first = MIN(@timestamp), last = MAX(@timestamp) BY user.name\n| WHERE first < last'), docs: [g('a', 'get', 0), g('a', 'get', 3)], expected: [{ first: '2026-03-01T10:00:00.000Z', last: '2026-03-01T10:03:00.000Z', 'user.name': 'a' }], lookbackMs: L, spec: R.agg },
    { kind: 'query', id: 'stats-11', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 2'), docs: [g('a', 'get', 5), g('a', 'get', 1)], expected: [], lookbackMs: L, spec: 'semantics.md ES|QL: a late record is evaluated over the window ending at its own event time, which excludes the later events already seen' },
    { kind: 'query', id: 'stats-12', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 2'), docs: [at(0, { 'user.name': ['a', 'b'] }), at(1, { 'user.name': 'b' })], expected: [{ n: 2, 'user.name': 'b' }], lookbackMs: L, spec: 'eql-esql.md section 3: a multi-valued BY field puts the row in one group per value' },
    { kind: 'query', id: 'stats-13', query: q('n = COUNT(*) BY user.name\n| WHERE n >= 2'), docs: [at(0, {}), at(1, {})], expected: [{ n: 2, 'user.name': null }], lookbackMs: L, spec: 'ES|QL reference, STATS: null is a group of its own' },
    { kind: 'query', id: 'stats-14', query: q('n = COUNT(user.name) BY kubernetes.audit.verb\n| WHERE n >= 3'), docs: [at(0, { 'kubernetes.audit.verb': 'get', 'user.name': ['a', 'b'] }), at(1, { 'kubernetes.audit.verb': 'get', 'user.name': 'c' })], expected: [{ n: 3, 'kubernetes.audit.verb': 'get' }], lookbackMs: L, spec: R.agg },
    { kind: 'query', id: 'stats-15', query: q('n = COUNT(*) BY user.name\n| WHERE n < 3'), docs: [g('a', 'get', 0)], expected: [{ n: 1, 'user.name': 'a' }], lookbackMs: L, spec: 'eql-esql.md section 3: a condition that is not monotone can pass early in a burst' },
    { kind: 'query', id: 'stats-16', query: 'FROM logs-*\n| WHERE kubernetes.audit.verb == "get"\n| STATS n = COUNT(*) BY user.name\n| WHERE n >= 2\n| KEEP n', docs: [g('a', 'get', 0), g('a', 'list', 1), g('a', 'get', 2)], expected: [{ n: 2 }], lookbackMs: L, spec: R.stats },
    { kind: 'query', id: 'stats-17', query: 'FROM logs-*\n| EVAL m = DATE_TRUNC(1 minute, @timestamp)\n| STATS n = COUNT(*) BY user.name, m\n| WHERE n >= 2', docs: [at(0, { 'user.name': 'a' }), at(1, { 'user.name': 'a' })], expected: [], lookbackMs: L, spec: 'eql-esql.md section 3: a DATE_TRUNC BY column splits groups by minute' },
    { kind: 'query', id: 'stats-18', query: q('v = VALUES(user.name) BY kubernetes.audit.verb\n| WHERE kubernetes.audit.verb == "get"'), docs: [at(0, { 'kubernetes.audit.verb': 'get' })], expected: [{ v: null, 'kubernetes.audit.verb': 'get' }], lookbackMs: L, spec: 'ES|QL reference, VALUES: no value gives null' },
  ];
}
