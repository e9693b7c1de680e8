#!/usr/bin/env node
// Validates FHIR R4 JSON offline with FHIR.js (npm "fhir", bundled R4 profiles).
// stdin: one resource or an array of resources. stdout: a JSON array, one result per resource:
//   { "resourceType", "id", "valid", "messages": [{ "location", "severity", "message" }] }
// "valid" is FHIR.js's verdict (no error or fatal message). Unexpected properties are errors.
'use strict';
const { Fhir } = require('fhir');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  let parsed;
  try {
    parsed = JSON.parse(input);
  } catch (e) {
    process.stderr.write(`validate.js: stdin is not JSON: ${e.message}\n`);
    process.exit(2);
  }
  const fhir = new Fhir();
  const results = (Array.isArray(parsed) ? parsed : [parsed]).map(resource => {
    const r = fhir.validate(resource, { errorOnUnexpected: true });
    return {
      resourceType: resource && resource.resourceType,
      id: resource && resource.id,
      valid: r.valid,
      messages: r.messages.map(m => ({ location: m.location, severity: m.severity, message: m.message })),
    };
  });
  process.stdout.write(JSON.stringify(results));
});
