// The reference semantics of kql-edge in one import (docs/semantics.md is the contract).

export { evaluate, type EvalContext } from './evaluate.js';
export { evaluateRecord, type RecordOptions } from './record.js';
export { toEcsView, isRawAuditEvent, auditEventToEcs, gkeToEcs, aksToEcs, dropEmpty, type EcsView, type RecordShape } from './ecs-view.js';
export { eventTime, firstDate, AUDIT_EVENT_TIME_FIELDS } from './event-time.js';
export { newTermsBruteForce, newTermsValues, termCombinations, termKey, windowStart, type NewTermsEvent } from './new-terms.js';
export { valuesAt, nodesAt, objectsAt, leafPaths } from './document.js';
export { JsonNumber, jsonNumber, parseJson, stringifyJson, isJsonObject, isJsonLeaf, numberText, type JsonLeaf } from './json.js';
export { matchIs, matchRange, existsIn, matchKindOf, type MatchContext, type MatchKind } from './values.js';
