// The EQL conformance table: hand-written cases per construct, each with the verdict EQL gives and
// why (the statement of ../shared/spec/eql-esql.md or of docs/semantics.md, section 13 "EQL", that
// decides it). `doc` is the record as it arrives (raw audit event or ECS document). Run by
// tests/eql-conformance.test.ts through the reference evaluator and, for the queries the module
// supports, through the WebAssembly evaluator; unsupported queries must be refused with a reason.

export interface EqlCase {
  id: string;
  query: string;
  doc: object;
  expected: boolean;
  spec: string;
}

type Obj = Record<string, unknown>;

/** A raw audit event (a forbidden secret read by jane with kubectl), with overrides (undefined removes a key). */
function raw(over: Obj = {}): Obj {
  const e: Obj = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: '0b6f5a52-1f0e-4a52-9d3c-5e2a9d1c0e11',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/secrets/db',
    verb: 'get',
    user: { username: 'jane', uid: 'u-1', groups: ['developers', 'system:authenticated'] },
    sourceIPs: ['10.1.2.3'],
    userAgent: 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819',
    objectRef: { resource: 'secrets', namespace: 'default', name: 'db', apiVersion: 'v1' },
    responseStatus: { code: 403 },
    annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    requestReceivedTimestamp: '2026-03-01T10:00:00.100000Z',
    stageTimestamp: '2026-03-01T10:00:00.104213Z',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  return e;
}
const rawUser = (username: unknown, groups: unknown = ['developers']) => raw({ user: { username, groups } });
const rawVerb = (verb: unknown) => raw({ verb });
const rawUa = (ua: unknown) => raw({ userAgent: ua });
/** An ECS document (shape ecs: evaluated as is) with `x` holding the given value and `y` = "b". */
const doc = (x: unknown, extra: Obj = {}): Obj => ({ '@timestamp': '2026-03-01T10:00:00Z', x, y: 'b', ...extra });

const S = {
  eqCase: 'eql-esql.md: EQL `==` is case-sensitive on keywords',
  ciCase: 'eql-esql.md: `:` and the `~` operators are case-insensitive',
  missing: 'eql-esql.md: a missing field is `null`',
  multi: 'eql-esql.md: a comparison with a multi-valued field is true if any value satisfies it',
  like: 'eql-esql.md: `like` is a wildcard (semantics.md 13: `*` any sequence, `?` one character, anchored)',
  inSet: 'eql-esql.md: `in` is a set',
  neq: 'semantics.md: 13 `!=` is the negation of `==` (must_not of the term query): true for a missing field',
  isNull: 'semantics.md: 13 `f == null` is true when f has no indexed value; `f != null` when it has one',
  view: 'eql-esql.md: Field view and event time are the ones KQL rules use (the same ECS view)',
  bool: 'semantics.md: 13 precedence: not > and > or; `not` applies to the comparison after it',
  cat: 'semantics.md: 13 `<category> where` = `event.category == "<category>"` and the condition; `any` has no category filter',
  num: 'semantics.md: 13 a field and a literal compare under the field type (term/range query on it)',
  range: 'semantics.md: 13 `<`, `<=`, `>`, `>=` on a keyword field compare code points (UTF-8 order)',
  fn: 'semantics.md: 13 functions follow the EQL function reference',
  fnNull: 'semantics.md: 13 a function of a null value is null, and a comparison with null is false',
  lex: 'semantics.md: 13 strings: "..." with escapes, """...""" raw; names: backticks; comments // and /* */',
  regex: 'semantics.md: 13 regex is a Lucene regular expression matched against the whole value',
  ignore: 'semantics.md: 6 keyword: a term longer than ignore_above (1024) is not indexed and matches nothing',
};

const A = 'any where ';
const UN = 'kubernetes.audit.user.username';
const GR = 'kubernetes.audit.user.groups';
const DEC = '`kubernetes.audit.annotations.authorization_k8s_io/decision`';
const CODE = 'kubernetes.audit.responseStatus.code';

export const EQL_CASES: EqlCase[] = [
  // ---- == on keywords
  { id: 'eq-exact', query: `${A}kubernetes.audit.verb == "get"`, doc: raw(), expected: true, spec: S.eqCase },
  { id: 'eq-case', query: `${A}kubernetes.audit.verb == "GET"`, doc: raw(), expected: false, spec: S.eqCase },
  { id: 'eq-case-doc', query: `${A}kubernetes.audit.verb == "get"`, doc: rawVerb('Get'), expected: false, spec: S.eqCase },
  { id: 'eq-prefix-not-equal', query: `${A}kubernetes.audit.verb == "ge"`, doc: raw(), expected: false, spec: S.eqCase },
  { id: 'eq-star-literal', query: `${A}kubernetes.audit.verb == "g*"`, doc: raw(), expected: false, spec: 'semantics.md: 13 `==` compares literally: `*` in a string is an asterisk' },
  { id: 'eq-star-literal-doc', query: `${A}kubernetes.audit.verb == "g*"`, doc: rawVerb('g*'), expected: true, spec: 'semantics.md: 13 `==` compares literally: `*` in a string is an asterisk' },
  { id: 'eq-missing', query: `${A}kubernetes.audit.objectRef.subresource == "exec"`, doc: raw(), expected: false, spec: S.missing },
  { id: 'eq-renamed-field', query: `${A}user.name == "jane"`, doc: raw(), expected: true, spec: S.view },
  { id: 'eq-renamed-field-no', query: `${A}user.name == "Jane"`, doc: raw(), expected: false, spec: S.eqCase },
  { id: 'eq-dataset', query: `${A}data_stream.dataset == "kubernetes.audit_logs"`, doc: raw(), expected: true, spec: S.view },
  { id: 'eq-dataset-ecs-missing', query: `${A}data_stream.dataset == "kubernetes.audit_logs"`, doc: doc('a'), expected: false, spec: S.view },
  { id: 'eq-annotation', query: `${A}${DEC} == "forbid"`, doc: raw(), expected: true, spec: S.view },
  { id: 'eq-annotation-allow', query: `${A}${DEC} == "forbid"`, doc: raw({ annotations: { 'authorization.k8s.io/decision': 'allow' } }), expected: false, spec: S.view },
  { id: 'eq-outcome', query: `${A}event.outcome == "failure"`, doc: raw(), expected: true, spec: S.view },
  { id: 'eq-multi-any', query: `${A}${GR} == "system:authenticated"`, doc: raw(), expected: true, spec: S.multi },
  { id: 'eq-multi-none', query: `${A}${GR} == "system:masters"`, doc: raw(), expected: false, spec: S.multi },
  { id: 'eq-empty-string-raw', query: `${A}${UN} == ""`, doc: rawUser(''), expected: false, spec: 'audit-to-ecs.md (semantics.md 2, M.8): empty strings are removed from the audit view' },
  { id: 'eq-empty-string-ecs', query: `${A}x == ""`, doc: doc(''), expected: true, spec: 'semantics.md: 2 an ecs record is evaluated unchanged (no empty-value removal)' },
  { id: 'eq-number-literal-keyword', query: `${A}x == 42`, doc: doc('42'), expected: true, spec: 'semantics.md: 13 a literal compared with a keyword field is its text (42 -> "42")' },
  { id: 'eq-number-literal-keyword-num', query: `${A}x == 42`, doc: doc(42), expected: true, spec: 'semantics.md: 6 keyword: a number is indexed as its JSON text' },
  { id: 'eq-number-text-differs', query: `${A}x == 42`, doc: doc('42.0'), expected: false, spec: 'semantics.md: 6 keyword: equality is byte-exact' },
  { id: 'eq-bool-keyword', query: `${A}x == true`, doc: doc(true), expected: true, spec: 'semantics.md: 6 keyword: a boolean is indexed as true/false' },
  { id: 'eq-bool-keyword-string', query: `${A}x == true`, doc: doc('true'), expected: true, spec: 'semantics.md: 6 keyword: the literal true is the term "true"' },
  { id: 'eq-bool-keyword-no', query: `${A}x == false`, doc: doc(true), expected: false, spec: 'semantics.md: 6 keyword: the literal true is the term "true"' },
  { id: 'eq-null-value-ecs', query: `${A}x == "a"`, doc: doc(null), expected: false, spec: S.missing },
  { id: 'eq-array-value-ecs', query: `${A}x == "c"`, doc: doc(['a', ['b', 'c']]), expected: true, spec: S.multi },
  { id: 'eq-unicode', query: `${A}x == "ünï"`, doc: doc('ünï'), expected: true, spec: S.eqCase },
  { id: 'eq-unicode-case', query: `${A}x == "ÜNÏ"`, doc: doc('ünï'), expected: false, spec: S.eqCase },
  { id: 'eq-ignore-above', query: `${A}x == "${'a'.repeat(1025)}"`, doc: doc('a'.repeat(1025)), expected: false, spec: S.ignore },
  { id: 'eq-ignore-above-1024', query: `${A}x == "${'a'.repeat(1024)}"`, doc: doc('a'.repeat(1024)), expected: true, spec: S.ignore },
  { id: 'eq-reversed', query: `${A}"get" == kubernetes.audit.verb`, doc: raw(), expected: true, spec: 'semantics.md: 13 a literal on the left compares the same as on the right' },
  { id: 'eq-dotted-key', query: `${A}user.name == "x"`, doc: { 'user.name': 'x' }, expected: true, spec: 'semantics.md: 3 a dotted key is the same path as nested objects' },

  // ---- !=
  { id: 'neq-differs', query: `${A}kubernetes.audit.verb != "list"`, doc: raw(), expected: true, spec: S.neq },
  { id: 'neq-equal', query: `${A}kubernetes.audit.verb != "get"`, doc: raw(), expected: false, spec: S.neq },
  { id: 'neq-missing', query: `${A}kubernetes.audit.objectRef.subresource != "exec"`, doc: raw(), expected: true, spec: S.neq },
  { id: 'neq-multi-one-equal', query: `${A}${GR} != "developers"`, doc: raw(), expected: false, spec: S.neq },
  { id: 'neq-multi-none-equal', query: `${A}${GR} != "system:masters"`, doc: raw(), expected: true, spec: S.neq },
  { id: 'neq-case', query: `${A}kubernetes.audit.verb != "GET"`, doc: raw(), expected: true, spec: S.eqCase },

  // ---- null
  { id: 'null-missing', query: `${A}kubernetes.audit.objectRef.subresource == null`, doc: raw(), expected: true, spec: S.isNull },
  { id: 'null-present', query: `${A}kubernetes.audit.verb == null`, doc: raw(), expected: false, spec: S.isNull },
  { id: 'null-empty-raw', query: `${A}${UN} == null`, doc: rawUser(''), expected: true, spec: S.isNull },
  { id: 'null-json-null', query: `${A}x == null`, doc: doc(null), expected: true, spec: S.isNull },
  { id: 'null-empty-array', query: `${A}x == null`, doc: doc([]), expected: true, spec: S.isNull },
  { id: 'null-array-of-null', query: `${A}x == null`, doc: doc([null]), expected: true, spec: S.isNull },
  { id: 'null-empty-string-ecs', query: `${A}x == null`, doc: doc(''), expected: false, spec: S.isNull },
  { id: 'not-null-present', query: `${A}kubernetes.audit.verb != null`, doc: raw(), expected: true, spec: S.isNull },
  { id: 'not-null-missing', query: `${A}kubernetes.audit.objectRef.subresource != null`, doc: raw(), expected: false, spec: S.isNull },
  { id: 'null-reversed', query: `${A}null == kubernetes.audit.objectRef.subresource`, doc: raw(), expected: true, spec: S.isNull },
  { id: 'null-less-than', query: `${A}x < null`, doc: doc('a'), expected: false, spec: S.fnNull },
  { id: 'null-ignore-above', query: `${A}x == null`, doc: doc('a'.repeat(1025)), expected: true, spec: S.ignore },
  { id: 'null-object-with-value', query: `${A}x == null`, doc: doc({ k: { l: 'v' } }), expected: false, spec: `${S.isNull} (an object field counts through its sub-fields, as KQL's f:*)` },
  { id: 'null-object-empty', query: `${A}x == null`, doc: doc({ k: {}, l: null, m: [] }), expected: true, spec: `${S.isNull} (an object with no indexed leaf)` },
  { id: 'not-null-array-of-objects', query: `${A}x != null`, doc: doc([{}, { k: [0] }]), expected: true, spec: `${S.isNull} (arrays of objects are flattened)` },

  // ---- in / not in / in~
  { id: 'in-first', query: `${A}kubernetes.audit.verb in ("get", "list")`, doc: raw(), expected: true, spec: S.inSet },
  { id: 'in-last', query: `${A}kubernetes.audit.verb in ("list", "get")`, doc: raw(), expected: true, spec: S.inSet },
  { id: 'in-none', query: `${A}kubernetes.audit.verb in ("list", "watch")`, doc: raw(), expected: false, spec: S.inSet },
  { id: 'in-case', query: `${A}kubernetes.audit.verb in ("GET", "LIST")`, doc: raw(), expected: false, spec: S.eqCase },
  { id: 'in-one', query: `${A}kubernetes.audit.verb in ("get")`, doc: raw(), expected: true, spec: S.inSet },
  { id: 'in-missing', query: `${A}kubernetes.audit.objectRef.subresource in ("exec", "attach")`, doc: raw(), expected: false, spec: S.missing },
  { id: 'in-multi', query: `${A}${GR} in ("system:masters", "developers")`, doc: raw(), expected: true, spec: S.multi },
  { id: 'in-null-member', query: `${A}kubernetes.audit.objectRef.subresource in ("exec", null)`, doc: raw(), expected: true, spec: 'semantics.md: 13 null in an `in` list matches a field with no value' },
  { id: 'in-pack-anonymous', query: `${A}${UN} in ("system:anonymous", "system:unauthenticated")`, doc: rawUser('system:anonymous'), expected: true, spec: S.inSet },
  { id: 'not-in-absent', query: `${A}kubernetes.audit.verb not in ("list", "watch")`, doc: raw(), expected: true, spec: S.inSet },
  { id: 'not-in-present', query: `${A}kubernetes.audit.verb not in ("get", "watch")`, doc: raw(), expected: false, spec: S.inSet },
  { id: 'not-in-missing', query: `${A}kubernetes.audit.objectRef.subresource not in ("exec")`, doc: raw(), expected: true, spec: S.neq },
  { id: 'in-number-keyword', query: `${A}x in (1, 2, 3)`, doc: doc('2'), expected: true, spec: 'semantics.md: 13 a literal compared with a keyword field is its text' },
  { id: 'in-number-field', query: `${A}${CODE} in (401, 403)`, doc: raw(), expected: true, spec: S.num },
  { id: 'in-number-field-no', query: `${A}${CODE} in (401, 404)`, doc: raw(), expected: false, spec: S.num },
  { id: 'in-ci-letters', query: `${A}kubernetes.audit.verb in~ ("GET", "LIST")`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'in-ci-none', query: `${A}kubernetes.audit.verb in~ ("PUT", "LIST")`, doc: raw(), expected: false, spec: S.ciCase },
  { id: 'in-ci-caseless', query: `${A}x in~ ("10", "20")`, doc: doc('20'), expected: true, spec: S.ciCase },
  { id: 'not-in-ci', query: `${A}kubernetes.audit.verb not in~ ("GET")`, doc: raw(), expected: false, spec: S.ciCase },

  // ---- : (case-insensitive equality and wildcard)
  { id: 'colon-exact', query: `${A}kubernetes.audit.verb : "get"`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'colon-upper', query: `${A}kubernetes.audit.verb : "GET"`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'colon-doc-upper', query: `${A}kubernetes.audit.verb : "get"`, doc: rawVerb('GeT'), expected: true, spec: S.ciCase },
  { id: 'colon-differs', query: `${A}kubernetes.audit.verb : "list"`, doc: raw(), expected: false, spec: S.ciCase },
  { id: 'colon-wildcard', query: `${A}kubernetes.audit.userAgent : "KUBECTL/*"`, doc: raw(), expected: true, spec: 'semantics.md: 13 `:` with `*` or `?` is a case-insensitive wildcard' },
  { id: 'colon-wildcard-no', query: `${A}kubernetes.audit.userAgent : "curl/*"`, doc: raw(), expected: false, spec: 'semantics.md: 13 `:` with `*` or `?` is a case-insensitive wildcard' },
  { id: 'colon-list', query: `${A}kubernetes.audit.verb : ("LIST", "GET")`, doc: raw(), expected: true, spec: 'semantics.md: 13 a list of patterns: any of them' },
  { id: 'colon-caseless', query: `${A}x : "10.0"`, doc: doc('10.0'), expected: true, spec: S.ciCase },
  { id: 'colon-caseless-wildcard', query: `${A}x : "10.*"`, doc: doc('10.1.2'), expected: true, spec: 'semantics.md: 13 `:` with `*` or `?` is a case-insensitive wildcard' },
  { id: 'colon-missing', query: `${A}kubernetes.audit.objectRef.subresource : "exec"`, doc: raw(), expected: false, spec: S.missing },
  { id: 'colon-unicode', query: `${A}x : "ÜNÏ"`, doc: doc('ünï'), expected: true, spec: S.ciCase },
  { id: 'colon-sharp-s', query: `${A}x : "STRASSE"`, doc: doc('straße'), expected: false, spec: 'semantics.md: 13 case-insensitive: one code point for one (ß is not SS)' },

  // ---- like / like~
  { id: 'like-prefix', query: `${A}${UN} like "ja*"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-suffix', query: `${A}${UN} like "*ne"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-contains', query: `${A}kubernetes.audit.userAgent like "*linux*"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-anchored', query: `${A}${UN} like "an*"`, doc: raw(), expected: false, spec: S.like },
  { id: 'like-no-wildcard', query: `${A}${UN} like "jane"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-no-wildcard-no', query: `${A}${UN} like "jan"`, doc: raw(), expected: false, spec: S.like },
  { id: 'like-case', query: `${A}${UN} like "JA*"`, doc: raw(), expected: false, spec: 'eql-esql.md: `like` is case-sensitive (like~ is not)' },
  { id: 'like-question', query: `${A}${UN} like "j?ne"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-question-one-only', query: `${A}${UN} like "j?e"`, doc: raw(), expected: false, spec: S.like },
  { id: 'like-question-needs-one', query: `${A}${UN} like "jane?"`, doc: raw(), expected: false, spec: S.like },
  { id: 'like-question-unicode', query: `${A}x like "a?b"`, doc: doc('a😀b'), expected: true, spec: 'semantics.md: 13 `?` matches one character (code point), also outside the BMP' },
  { id: 'like-question-two-bytes', query: `${A}x like "a?b"`, doc: doc('aéb'), expected: true, spec: 'semantics.md: 13 `?` matches one character (code point)' },
  { id: 'like-star-empty', query: `${A}x like "a*b"`, doc: doc('ab'), expected: true, spec: S.like },
  { id: 'like-star-slash', query: `${A}x like "a*b"`, doc: doc('a/x/y/b'), expected: true, spec: S.like },
  { id: 'like-stars-question', query: `${A}x like "*?*"`, doc: doc(''), expected: false, spec: S.like },
  { id: 'like-backtrack', query: `${A}x like "*ab*abc"`, doc: doc('xabyababc'), expected: true, spec: S.like },
  { id: 'like-backtrack-no', query: `${A}x like "*ab?abc"`, doc: doc('xabyababd'), expected: false, spec: S.like },
  { id: 'like-list', query: `${A}${UN} like ("bob*", "ja?e")`, doc: raw(), expected: true, spec: 'semantics.md: 13 a list of patterns: any of them' },
  { id: 'like-list-none', query: `${A}${UN} like ("bob*", "ja?")`, doc: raw(), expected: false, spec: 'semantics.md: 13 a list of patterns: any of them' },
  { id: 'like-multi', query: `${A}${GR} like "system:*"`, doc: raw(), expected: true, spec: S.multi },
  { id: 'like-missing', query: `${A}kubernetes.audit.objectRef.subresource like "*"`, doc: raw(), expected: false, spec: S.missing },
  { id: 'like-star-alone', query: `${A}x like "*"`, doc: doc(''), expected: true, spec: S.like },
  { id: 'like-ci', query: `${A}${UN} like~ "JA*"`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'like-ci-question', query: `${A}${UN} like~ "J?NE"`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'like-ci-no', query: `${A}${UN} like~ "BO*"`, doc: raw(), expected: false, spec: S.ciCase },
  { id: 'like-ci-caseless', query: `${A}x like~ "1?3"`, doc: doc('123'), expected: true, spec: S.ciCase },
  { id: 'like-ignore-above', query: `${A}x like "a*"`, doc: doc('a'.repeat(1025)), expected: false, spec: S.ignore },
  { id: 'like-pack-uri', query: `${A}kubernetes.audit.requestURI like "/api/v1/namespaces/*/secrets/*"`, doc: raw(), expected: true, spec: S.like },
  { id: 'like-pack-uri-question', query: `${A}kubernetes.audit.requestURI like "/api/v1/namespaces/default/secrets?db"`, doc: raw(), expected: true, spec: S.like },

  // ---- regex (reference only: the module skips rules that use it)
  { id: 'regex-whole', query: `${A}${UN} regex "ja.e"`, doc: raw(), expected: true, spec: S.regex },
  { id: 'regex-anchored', query: `${A}${UN} regex "an"`, doc: raw(), expected: false, spec: S.regex },
  { id: 'regex-class', query: `${A}x regex "[0-9]+"`, doc: doc('12345'), expected: true, spec: S.regex },
  { id: 'regex-class-no', query: `${A}x regex "[0-9]+"`, doc: doc('12a45'), expected: false, spec: S.regex },
  { id: 'regex-alt', query: `${A}kubernetes.audit.verb regex "list|get"`, doc: raw(), expected: true, spec: S.regex },
  { id: 'regex-case', query: `${A}kubernetes.audit.verb regex "GET"`, doc: raw(), expected: false, spec: S.regex },
  { id: 'regex-ci', query: `${A}kubernetes.audit.verb regex~ "GET"`, doc: raw(), expected: true, spec: S.ciCase },

  // ---- boolean structure
  { id: 'bool-and-true', query: `${A}kubernetes.audit.verb == "get" and ${UN} == "jane"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-and-false', query: `${A}kubernetes.audit.verb == "get" and ${UN} == "bob"`, doc: raw(), expected: false, spec: S.bool },
  { id: 'bool-or', query: `${A}kubernetes.audit.verb == "list" or ${UN} == "jane"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-or-false', query: `${A}kubernetes.audit.verb == "list" or ${UN} == "bob"`, doc: raw(), expected: false, spec: S.bool },
  { id: 'bool-precedence', query: `${A}kubernetes.audit.verb == "list" and ${UN} == "bob" or ${UN} == "jane"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-precedence-2', query: `${A}${UN} == "jane" or ${UN} == "bob" and kubernetes.audit.verb == "list"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-parens', query: `${A}(${UN} == "jane" or ${UN} == "bob") and kubernetes.audit.verb == "list"`, doc: raw(), expected: false, spec: S.bool },
  { id: 'bool-not', query: `${A}not kubernetes.audit.verb == "list"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-not-binds-tight', query: `${A}not kubernetes.audit.verb == "get" or ${UN} == "jane"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-not-and', query: `${A}not kubernetes.audit.verb == "get" and ${UN} == "jane"`, doc: raw(), expected: false, spec: S.bool },
  { id: 'bool-not-not', query: `${A}not not kubernetes.audit.verb == "get"`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-not-missing', query: `${A}not kubernetes.audit.objectRef.subresource == "exec"`, doc: raw(), expected: true, spec: S.neq },
  { id: 'bool-not-multi', query: `${A}not ${GR} == "developers"`, doc: raw(), expected: false, spec: S.multi },
  { id: 'bool-not-paren', query: `${A}not (kubernetes.audit.verb == "get" and ${UN} == "bob")`, doc: raw(), expected: true, spec: S.bool },
  { id: 'bool-true', query: `${A}true`, doc: raw(), expected: true, spec: 'semantics.md: 13 the constants true and false are conditions' },
  { id: 'bool-false', query: `${A}false`, doc: raw(), expected: false, spec: 'semantics.md: 13 the constants true and false are conditions' },
  { id: 'bool-field-alone', query: `${A}x`, doc: doc(true), expected: true, spec: 'semantics.md: 13 a field alone as a condition: some value is true' },
  { id: 'bool-field-alone-no', query: `${A}x`, doc: doc(false), expected: false, spec: 'semantics.md: 13 a field alone as a condition: some value is true' },
  { id: 'bool-field-boolean-type', query: `${A}kubernetes.audit.requestObject.spec.hostNetwork`, doc: raw({ requestObject: { spec: { hostNetwork: true } } }), expected: true, spec: 'semantics.md: 13 a field alone as a condition: some value is true' },
  { id: 'bool-pack-not-masters', query: `${A}not ${GR} == "system:masters"`, doc: raw(), expected: true, spec: S.multi },
  { id: 'bool-pack-not-masters-member', query: `${A}not ${GR} == "system:masters"`, doc: raw({ user: { username: 'root', groups: ['system:masters', 'system:authenticated'] } }), expected: false, spec: S.multi },

  // ---- categories
  { id: 'cat-any', query: 'any where true', doc: doc('a'), expected: true, spec: S.cat },
  { id: 'cat-process-audit', query: 'process where true', doc: raw(), expected: false, spec: S.cat },
  { id: 'cat-process-ecs', query: 'process where true', doc: doc('a', { event: { category: 'process' } }), expected: true, spec: S.cat },
  { id: 'cat-multi', query: 'process where x == "a"', doc: doc('a', { event: { category: ['network', 'process'] } }), expected: true, spec: S.cat },
  { id: 'cat-case', query: 'process where true', doc: doc('a', { event: { category: 'Process' } }), expected: false, spec: S.cat },
  { id: 'cat-quoted', query: '"process" where true', doc: doc('a', { event: { category: 'process' } }), expected: true, spec: S.cat },
  { id: 'cat-condition-false', query: 'process where x == "z"', doc: doc('a', { event: { category: 'process' } }), expected: false, spec: S.cat },

  // ---- numbers and ranges
  { id: 'num-eq', query: `${A}${CODE} == 403`, doc: raw(), expected: true, spec: S.num },
  { id: 'num-eq-decimal', query: `${A}${CODE} == 403.0`, doc: raw(), expected: true, spec: 'semantics.md: 6 numeric: "200.0" and 2e2 equal 200' },
  { id: 'num-eq-no', query: `${A}${CODE} == 404`, doc: raw(), expected: false, spec: S.num },
  { id: 'num-neq', query: `${A}${CODE} != 200`, doc: raw(), expected: true, spec: S.neq },
  { id: 'num-gt', query: `${A}${CODE} > 399`, doc: raw(), expected: true, spec: S.num },
  { id: 'num-gte-edge', query: `${A}${CODE} >= 403`, doc: raw(), expected: true, spec: S.num },
  { id: 'num-gt-edge', query: `${A}${CODE} > 403`, doc: raw(), expected: false, spec: S.num },
  { id: 'num-lt', query: `${A}${CODE} < 500`, doc: raw(), expected: true, spec: S.num },
  { id: 'num-lte-no', query: `${A}${CODE} <= 402`, doc: raw(), expected: false, spec: S.num },
  { id: 'num-string-doc', query: `${A}${CODE} == 403`, doc: raw({ responseStatus: { code: '403' } }), expected: true, spec: 'semantics.md: 6 numeric: a string in number syntax is indexed' },
  { id: 'num-missing-lt', query: `${A}${CODE} < 500`, doc: raw({ responseStatus: undefined }), expected: false, spec: S.missing },
  { id: 'num-reversed', query: `${A}500 > ${CODE}`, doc: raw(), expected: true, spec: 'semantics.md: 13 a literal on the left compares the same as on the right' },
  { id: 'num-negative-keyword', query: `${A}x > -5`, doc: doc(-3), expected: false, spec: 'semantics.md: 13 a number literal against a keyword field is its text: "-3" < "-5" in code points' },
  { id: 'range-keyword', query: `${A}x < "b"`, doc: doc('a'), expected: true, spec: S.range },
  { id: 'range-keyword-text-order', query: `${A}x > "10"`, doc: doc('9'), expected: true, spec: S.range },
  { id: 'range-keyword-no', query: `${A}x >= "b"`, doc: doc('a'), expected: false, spec: S.range },
  { id: 'range-keyword-multi', query: `${A}x >= "b"`, doc: doc(['a', 'c']), expected: true, spec: S.multi },

  // ---- strings, names, comments
  { id: 'lex-escape-quote', query: `${A}x == "a\\"b"`, doc: doc('a"b'), expected: true, spec: S.lex },
  { id: 'lex-escape-backslash', query: `${A}x == "a\\\\b"`, doc: doc('a\\b'), expected: true, spec: S.lex },
  { id: 'lex-escape-tab', query: `${A}x == "a\\tb"`, doc: doc('a\tb'), expected: true, spec: S.lex },
  { id: 'lex-escape-newline', query: `${A}x == "a\\nb"`, doc: doc('a\nb'), expected: true, spec: S.lex },
  { id: 'lex-escape-unicode', query: `${A}x == "caf\\u{e9}"`, doc: doc('café'), expected: true, spec: S.lex },
  { id: 'lex-escape-unicode-astral', query: `${A}x == "\\u{1F600}"`, doc: doc('😀'), expected: true, spec: S.lex },
  { id: 'lex-triple', query: `${A}x == """C:\\Windows\\"""`, doc: doc('C:\\Windows\\'), expected: true, spec: S.lex },
  { id: 'lex-triple-quote-inside', query: `${A}x == """say "hi" """`, doc: doc('say "hi" '), expected: true, spec: S.lex },
  { id: 'lex-triple-no', query: `${A}x == """a\\nb"""`, doc: doc('a\nb'), expected: false, spec: S.lex },
  { id: 'lex-backtick', query: `${A}\`x\` == "a"`, doc: doc('a'), expected: true, spec: S.lex },
  { id: 'lex-backtick-dotted', query: `${A}\`user.name\` == "jane"`, doc: raw(), expected: true, spec: S.lex },
  { id: 'lex-backtick-escape', query: `${A}\`we\`\`ird\` == "a"`, doc: { 'we`ird': 'a' }, expected: true, spec: S.lex },
  { id: 'lex-line-comment', query: `${A}x == "a" // x == "b"\n`, doc: doc('a'), expected: true, spec: S.lex },
  { id: 'lex-block-comment', query: `${A}/* x == "b" and */ x == "a"`, doc: doc('a'), expected: true, spec: S.lex },
  { id: 'lex-comment-in-string', query: `${A}x == "/* no */"`, doc: doc('/* no */'), expected: true, spec: S.lex },

  // ---- functions (reference only: the module skips rules that call them)
  { id: 'fn-startswith', query: `${A}startsWith(${UN}, "ja")`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-startswith-case', query: `${A}startsWith(${UN}, "JA")`, doc: raw(), expected: false, spec: S.fn },
  { id: 'fn-startswith-ci', query: `${A}startsWith~(${UN}, "JA")`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'fn-endswith', query: `${A}endsWith(kubernetes.audit.userAgent, "4b8e819")`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-endswith-no', query: `${A}endsWith(kubernetes.audit.userAgent, "kubectl")`, doc: raw(), expected: false, spec: S.fn },
  { id: 'fn-contains', query: `${A}stringContains(kubernetes.audit.userAgent, "linux")`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-contains-ci', query: `${A}stringContains~(kubernetes.audit.userAgent, "LINUX")`, doc: raw(), expected: true, spec: S.ciCase },
  { id: 'fn-contains-missing', query: `${A}stringContains(kubernetes.audit.objectRef.subresource, "x")`, doc: raw(), expected: false, spec: S.fnNull },
  { id: 'fn-not-contains-missing', query: `${A}not stringContains(kubernetes.audit.objectRef.subresource, "x")`, doc: raw(), expected: true, spec: S.fnNull },
  { id: 'fn-length', query: `${A}length(${UN}) == 4`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-length-gt', query: `${A}length(${UN}) > 4`, doc: raw(), expected: false, spec: S.fn },
  { id: 'fn-concat', query: `${A}concat(${UN}, "@", kubernetes.audit.verb) == "jane@get"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-concat-number', query: `${A}concat("code ", ${CODE}) == "code 403"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-concat-null', query: `${A}concat(${UN}, kubernetes.audit.objectRef.subresource) == "jane"`, doc: raw(), expected: false, spec: S.fnNull },
  { id: 'fn-substring', query: `${A}substring(${UN}, 1, 3) == "an"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-substring-negative', query: `${A}substring(${UN}, -2) == "ne"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-indexof', query: `${A}indexOf(${UN}, "n") == 2`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-indexof-start', query: `${A}indexOf("banana", "a", 2) == 3`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-indexof-none', query: `${A}indexOf(${UN}, "z") == null`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-between', query: `${A}between(kubernetes.audit.userAgent, "(", ")") == "linux/amd64"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-between-greedy', query: `${A}between("a(b)c(d)e", "(", ")", true) == "b)c(d"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-between-none', query: `${A}between(${UN}, "x", "y") == ""`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-cidr', query: `${A}cidrMatch(source.ip, "10.0.0.0/8")`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-cidr-list', query: `${A}cidrMatch(source.ip, "192.168.0.0/16", "10.1.2.0/24")`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-cidr-no', query: `${A}cidrMatch(source.ip, "192.168.0.0/16")`, doc: raw(), expected: false, spec: S.fn },
  { id: 'fn-number', query: `${A}number("42") == 42`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-number-hex', query: `${A}number("0x1F", 16) == 31`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-string', query: `${A}string(${CODE}) == "403"`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-add', query: `${A}add(${CODE}, 1) == 404`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-subtract', query: `${A}subtract(${CODE}, 3) == 400`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-multiply', query: `${A}multiply(${CODE}, 2) == 806`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-divide-int', query: `${A}divide(${CODE}, 2) == 201`, doc: raw(), expected: true, spec: 'semantics.md: 13 divide of two whole numbers truncates' },
  { id: 'fn-divide-real', query: `${A}divide(${CODE}, 0.5) == 806`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-modulo', query: `${A}modulo(${CODE}, 100) == 3`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-arith', query: `${A}${CODE} + 1 == 404`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-arith-precedence', query: `${A}1 + 2 * 3 == 7`, doc: raw(), expected: true, spec: S.fn },
  { id: 'fn-missing-number', query: `${A}add(${CODE}, 1) == 404`, doc: raw({ responseStatus: undefined }), expected: false, spec: S.fnNull },
  { id: 'fn-multi-any', query: `${A}startsWith(${GR}, "system:")`, doc: raw(), expected: true, spec: S.multi },
  { id: 'fn-compare-fields', query: `${A}${UN} == user.name`, doc: raw(), expected: true, spec: 'semantics.md: 13 computed values (two fields, functions) compare value by value' },
  { id: 'fn-compare-fields-no', query: `${A}${UN} == kubernetes.audit.verb`, doc: raw(), expected: false, spec: 'semantics.md: 13 computed values (two fields, functions) compare value by value' },

  // ---- the view of other record shapes
  { id: 'view-embedded', query: `${A}kubernetes.audit.verb == "get"`, doc: { log: JSON.stringify(raw()), stream: 'stdout' }, expected: true, spec: S.view },
  { id: 'view-not-object-user', query: `${A}user.name == "jane"`, doc: rawUser(['jane', 'bob']), expected: true, spec: S.multi },
  { id: 'view-source-ip', query: `${A}source.ip == "10.1.2.3"`, doc: raw(), expected: true, spec: 'semantics.md: 13 an ip field against a string: address equality' },
  { id: 'view-source-ip-cidr', query: `${A}source.ip == "10.0.0.0/8"`, doc: raw(), expected: true, spec: 'semantics.md: 6 ip: a string value containing / is a CIDR' },
  { id: 'view-embedded-no', query: `${A}kubernetes.audit.verb == "list"`, doc: { log: JSON.stringify(raw()), stream: 'stdout' }, expected: false, spec: S.view },
  { id: 'view-source-ip-no', query: `${A}source.ip == "10.1.2.4"`, doc: raw(), expected: false, spec: 'semantics.md: 13 an ip field against a string: address equality' },
  { id: 'view-source-ip-invalid', query: `${A}source.ip == "10.1.2.3"`, doc: raw({ sourceIPs: ['10.1.2.3', 'bogus'] }), expected: false, spec: 'semantics.md: 2 M.4 source.ip is set only when every sourceIPs value is an IP' },
  { id: 'view-request-metadata-removed', query: `${A}kubernetes.audit.requestObject.metadata.name == "x"`, doc: raw({ requestObject: { metadata: { name: 'x' }, kind: 'Pod' } }), expected: false, spec: 'semantics.md: 2 M.1 requestObject.metadata is removed from the view' },
  { id: 'view-not-an-object', query: `${A}true`, doc: ['not', 'an', 'object'], expected: false, spec: 'semantics.md: 1 a record that is not a JSON object matches nothing' },
  { id: 'view-aks-object-metadata', query: `${A}kubernetes.audit.aks_metadata.pod == "kube-apiserver-1" and kubernetes.audit.verb == "get"`, doc: { category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: raw(), pod: 'kube-apiserver-1', stream: 'stdout' } }, expected: true, spec: 'semantics.md: 2 AKS: kubernetes.audit.aks_metadata from the wrapper' },
  { id: 'view-aks-string-metadata', query: `${A}kubernetes.audit.aks_metadata.category == "kube-audit" and kubernetes.audit.aks_metadata.operation_name like "Microsoft.*"`, doc: { category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: JSON.stringify(raw()), pod: 'kube-apiserver-1' } }, expected: true, spec: 'semantics.md: 2 AKS: kubernetes.audit.aks_metadata from the wrapper' },
  { id: 'view-aks-string-metadata-replaces', query: `${A}kubernetes.audit.aks_metadata.pod == "inner"`, doc: { category: 'kube-audit', properties: { log: JSON.stringify(raw({ aks_metadata: { pod: 'inner' } })), pod: 'outer' } }, expected: false, spec: 'semantics.md: 2 AKS: kubernetes.audit.aks_metadata = the wrapper fields (replacing the event\'s own)' },
  { id: 'view-aks-string-metadata-empty', query: `${A}kubernetes.audit.aks_metadata.stream == null`, doc: { category: 'kube-audit', properties: { log: JSON.stringify(raw()), stream: '' } }, expected: true, spec: 'semantics.md: 2 AKS: then empty-value removal again' },
  { id: 'view-user-agent-original', query: `${A}user_agent.original like "kubectl/*"`, doc: raw(), expected: true, spec: S.view },
];
