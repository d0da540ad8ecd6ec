// Every error key the running server lists (x-error-keys of its OpenAPI
// document) has words in both languages (web/src/lib/errors.ts), using only
// the params the key carries, and those words ship with both pages (the
// console's and the promoter page's scripts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { env } from './lib.mjs';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');

// The two tables of errors.ts: { zh: {key: text}, en: {key: text} }.
function tables() {
  const src = readFileSync(join(web, 'src/lib/errors.ts'), 'utf8');
  const out = {};
  for (const [lang, name] of [['zh', 'errorMessagesZh'], ['en', 'errorMessagesEn']]) {
    const start = src.indexOf(`export const ${name}`);
    assert.ok(start >= 0, `${name} in errors.ts`);
    const body = src.slice(src.indexOf('{', start), src.indexOf('\n};', start));
    out[lang] = {};
    // 'key': 'text' or 'key': "text" (one entry a line)
    for (const m of body.matchAll(/^\s*'([^']+)':\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),\s*$/gm)) out[lang][m[1]] = m[2] ?? m[3];
    assert.ok(Object.keys(out[lang]).length > 50, `${name} read`);
  }
  return out;
}

// The text of the scripts a page loads (its entry and what it preloads).
function pageScripts(html) {
  const doc = readFileSync(join(web, 'dist', html), 'utf8');
  const files = [...doc.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert.ok(files.length > 0, `${html} loads scripts`);
  return files.map((f) => readFileSync(join(web, 'dist', f), 'utf8')).join('\n');
}

test("every server error key has words in both languages, with the key's params only, in both pages", async () => {
  const res = await fetch(`${env.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const keys = (await res.json())['x-error-keys'];
  assert.ok(keys && Object.keys(keys).length > 50, 'the document lists the error keys');
  const words = tables();
  const problems = [];
  for (const [key, { params }] of Object.entries(keys)) {
    for (const lang of ['zh', 'en']) {
      const text = words[lang][`ek.${key}`];
      if (text === undefined) {
        problems.push(`${lang}: no words for ${key}`);
        continue;
      }
      // field (the field at fault) and code come with every error
      for (const m of text.matchAll(/\{(\w+)\}/g))
        if (!params.includes(m[1]) && m[1] !== 'field' && m[1] !== 'code') problems.push(`${lang}: ${key} says {${m[1]}}, not one of its params (${params.join(', ')})`);
    }
  }
  // the two tables hold the same keys
  for (const k of Object.keys(words.zh)) if (!(k in words.en)) problems.push(`en: no ${k}`);
  for (const k of Object.keys(words.en)) if (!(k in words.zh)) problems.push(`zh: no ${k}`);
  // zh words are Chinese: no English sentence slipped into the zh table
  for (const [k, v] of Object.entries(words.zh))
    if (!/[\u4e00-\u9fff]/.test(v)) problems.push(`zh: ${k} has no Chinese: ${v}`);
  assert.deepEqual(problems, []);

  for (const html of ['index.html', 'm/index.html']) {
    const js = pageScripts(html);
    const missing = Object.keys(keys).filter((k) => !js.includes(`ek.${k}`));
    assert.deepEqual(missing, [], `${html} ships the words of every key`);
    assert.ok(js.includes(words.zh['ek.withdraw.below_minimum']) && js.includes(words.en['ek.withdraw.below_minimum']), `${html} ships both languages`);
  }
});
