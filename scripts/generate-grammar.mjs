#!/usr/bin/env node
// Builds syntaxes/usercube-injection.tmLanguage.json, the TextMate grammar that VS Code injects into XML documents
// to highlight the values of Identity Manager attributes: binding paths, expressions (C#, Literal, built-in
// functions) and crontab schedules.
//
// TextMate grammars cannot see which element an attribute belongs to, so attributes are picked by NAME from
// server/src/schema/schema.generated.json:
//   - binding attributes: the name is typed as a binding path (type "Binding", or a property reference written as a
//     binding) on most of the elements that carry it. "Identifier" is a binding only on a few elements (mapping
//     properties) and a plain name everywhere else, so it is left out; "Property" is a binding almost everywhere.
//   - expression attributes: the name is typed "Expression" on most of the elements that carry it.
//   - crontab attributes: the name is typed "CronTab" on some element, or is CronTabExpression.
//
// Usage: node scripts/generate-grammar.mjs           writes the grammar
//        node scripts/generate-grammar.mjs --check   exits 1 when the committed grammar is out of date

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = path.join(repoRoot, 'server', 'src', 'schema', 'schema.generated.json');
const outputFile = path.join(repoRoot, 'syntaxes', 'usercube-injection.tmLanguage.json');
const csharpOutputFile = path.join(repoRoot, 'syntaxes', 'usercube-csharp-entities.tmLanguage.json');

export const SCOPE_NAME = 'usercube.xml.injection';
export const CSHARP_SCOPE_NAME = 'usercube.xml-csharp.injection';

/** Attribute names by role, from the schema. */
export function attributeNames(schema) {
  const counts = new Map(); // name -> { binding, expression, cron, other }
  for (const element of Object.values(schema.elements)) {
    for (const [name, spec] of Object.entries(element.attributes)) {
      const c = counts.get(name) ?? { binding: 0, expression: 0, cron: 0, other: 0 };
      counts.set(name, c);
      if (spec.type === 'CronTab') c.cron++;
      else if (spec.type === 'Binding' || spec.binding) c.binding++;
      else if (spec.type === 'Expression') c.expression++;
      else c.other++;
    }
  }
  const pick = (role) => [...counts].filter(([, c]) => c[role] > 0 && c[role] * 2 > c.binding + c.expression + c.cron + c.other).map(([name]) => name);
  const cron = [...counts].filter(([, c]) => c.cron > 0).map(([name]) => name);
  if (!cron.includes('CronTabExpression')) cron.push('CronTabExpression'); // scaffoldings type it String
  const sort = (names) => [...new Set(names)].sort();
  return {
    binding: sort(pick('binding').filter((n) => !cron.includes(n))),
    expression: sort(pick('expression').filter((n) => !cron.includes(n))),
    cron: sort(cron),
  };
}

const alternation = (names) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** The attribute rule: the name (scoped as the XML grammar scopes it), "=", then a quoted value of the given kind. */
function attributeRule(kind, names) {
  return {
    name: `meta.attribute.${kind}.usercube`,
    begin: `(?:^|\\s+)(${alternation(names)})\\s*(=)\\s*(?=["'])`,
    beginCaptures: {
      1: { name: 'entity.other.attribute-name.localname.xml' },
      2: { name: 'punctuation.separator.key-value.xml' },
    },
    end: `(?<=["'])`,
    patterns: [{ include: `#${kind}-value-double` }, { include: `#${kind}-value-single` }],
  };
}

/** A quoted value: the XML string scopes, then the kind's own tokens. */
function valueRule(kind, quote, patterns) {
  const q = quote === '"' ? 'double' : 'single';
  return {
    name: `string.quoted.${q}.xml meta.value.${kind}.usercube`,
    begin: quote,
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.xml' } },
    end: quote,
    endCaptures: { 0: { name: 'punctuation.definition.string.end.xml' } },
    patterns,
  };
}

/** Expression forms: C#:parameter:code (code embedded as C#), Literal:value, and (expression attributes only) Function:args|args. */
function expressionPatterns(quote, withFunctions) {
  const notQuote = quote === '"' ? '[^"]' : "[^']";
  const beforeQuote = `(?=${quote})`;
  const patterns = [
    {
      name: 'meta.expression.csharp.usercube',
      begin: '\\G\\s*(C#)(:)(?:([A-Za-z_]\\w*)(:))?',
      beginCaptures: {
        1: { name: 'keyword.other.expression-kind.csharp.usercube' },
        2: { name: 'punctuation.separator.colon.usercube' },
        3: { name: 'variable.parameter.usercube' },
        4: { name: 'punctuation.separator.colon.usercube' },
      },
      end: beforeQuote,
      // The code is matched line by line and handed to the C# grammar as a capture: a C# rule left open (a missing
      // ";" or ")") then ends with the line instead of running past the closing quote into the rest of the file.
      patterns: [
        {
          match: `${notQuote}+`,
          name: 'meta.embedded.inline.cs',
          captures: { 0: { patterns: [{ include: 'text.xml#entity' }, { include: 'source.cs' }] } },
        },
        // Never wins (the match above takes every position before the quote), but TextMate engines load the
        // grammars named in "patterns", not those named only in captures: this makes them load the C# grammar.
        { include: 'source.cs' },
      ],
    },
    {
      name: 'meta.expression.literal.usercube',
      begin: '\\G\\s*(Literal)(:)',
      beginCaptures: {
        1: { name: 'keyword.other.expression-kind.literal.usercube' },
        2: { name: 'punctuation.separator.colon.usercube' },
      },
      end: beforeQuote,
      contentName: 'string.unquoted.literal.usercube',
      patterns: [{ include: 'text.xml#entity' }],
    },
  ];
  if (withFunctions) {
    patterns.push({
      name: 'meta.expression.function.usercube',
      begin: '\\G\\s*([A-Za-z_]\\w*)(?:(:))?',
      beginCaptures: {
        1: { name: 'support.function.builtin.usercube' },
        2: { name: 'punctuation.separator.colon.usercube' },
      },
      end: beforeQuote,
      patterns: [
        { match: '\\|', name: 'punctuation.separator.arguments.usercube' },
        { include: 'text.xml#entity' },
        { match: `(?:(?!\\|)(?!&[\\w#]+;)${notQuote})+`, name: 'string.unquoted.argument.usercube' },
      ],
    });
  }
  return patterns;
}

/** Binding paths: Type:Property.Navigation.Type:Property. */
function bindingPatterns() {
  return [
    {
      match: '([A-Za-z_][\\w-]*)(:)',
      captures: {
        1: { name: 'entity.name.type.usercube' },
        2: { name: 'punctuation.separator.type.usercube' },
      },
    },
    { match: '[A-Za-z_][\\w-]*(?=\\.)', name: 'variable.other.property.navigation.usercube' },
    { match: '[A-Za-z_][\\w-]*', name: 'variable.other.property.usercube' },
    { match: '\\.', name: 'punctuation.accessor.dot.usercube' },
  ];
}

/** A type named again in the middle of a path ("Owner.Directory_User:MainRecord") is a cast of the navigation. */
function bindingValuePatterns(quote) {
  return [
    ...expressionPatterns(quote, false),
    {
      match: '(?<=\\.)([A-Za-z_][\\w-]*)(:)',
      captures: {
        1: { name: 'entity.name.type.cast.usercube' },
        2: { name: 'punctuation.separator.type.usercube' },
      },
    },
    ...bindingPatterns(),
  ];
}

const CRON_FIELDS_6 = ['second', 'minute', 'hour', 'day', 'month', 'weekday'];
const CRON_FIELDS_5 = CRON_FIELDS_6.slice(1);

function cronFieldsRule(fields, quote) {
  const field = `([^\\s${quote}]+)`;
  return {
    match: `\\G\\s*${fields.map(() => field).join('\\s+')}\\s*(?=${quote})`,
    captures: Object.fromEntries(fields.map((field, i) => [i + 1, { name: `meta.cron.field.${field}.usercube`, patterns: [{ include: '#cron-atoms' }] }])),
  };
}

function cronValuePatterns(quote) {
  return [cronFieldsRule(CRON_FIELDS_6, quote), cronFieldsRule(CRON_FIELDS_5, quote), { include: '#cron-atoms' }];
}

/**
 * The grammar is injected at the top of XML documents, where it only opens a region at a <ConfigurationFile> root
 * element: the attribute rules then apply to Identity Manager configuration files only, not to every XML file
 * that happens to have a "Binding" or "Expression" attribute. Inside the region, start and end tags are matched
 * by a copy of the XML grammar's tag rule that tries the attribute rules first; everything else is left to the XML
 * grammar (text.xml).
 */
export function buildGrammar(schema) {
  const names = attributeNames(schema);
  const repository = {
    'configuration-file': {
      name: 'meta.configuration-file.usercube',
      begin: '(?=<ConfigurationFile\\b)',
      end: '(?!)',
      patterns: [{ include: '#tag' }, { include: 'text.xml' }],
    },
    tag: {
      name: 'meta.tag.xml',
      begin: '(</?)(?:([-\\w\\.]+)((:)))?([-\\w\\.:]+)',
      captures: {
        1: { name: 'punctuation.definition.tag.xml' },
        2: { name: 'entity.name.tag.namespace.xml' },
        3: { name: 'entity.name.tag.xml' },
        4: { name: 'punctuation.separator.namespace.xml' },
        5: { name: 'entity.name.tag.localname.xml' },
      },
      end: '(/?>)',
      patterns: [
        { include: '#binding-attribute' },
        { include: '#expression-attribute' },
        { include: '#crontab-attribute' },
        { include: 'text.xml#tagStuff' },
      ],
    },
    'binding-attribute': attributeRule('binding', names.binding),
    'expression-attribute': attributeRule('expression', names.expression),
    'crontab-attribute': attributeRule('crontab', names.cron),
    'binding-value-double': valueRule('binding', '"', bindingValuePatterns('"')),
    'binding-value-single': valueRule('binding', "'", bindingValuePatterns("'")),
    'expression-value-double': valueRule('expression', '"', expressionPatterns('"', true)),
    'expression-value-single': valueRule('expression', "'", expressionPatterns("'", true)),
    'crontab-value-double': valueRule('crontab', '"', cronValuePatterns('"')),
    'crontab-value-single': valueRule('crontab', "'", cronValuePatterns("'")),
    'cron-atoms': {
      patterns: [
        { match: '\\*', name: 'keyword.operator.wildcard.cron.usercube' },
        { match: '\\?', name: 'keyword.operator.wildcard.cron.usercube' },
        { match: '/', name: 'keyword.operator.step.cron.usercube' },
        { match: '-', name: 'keyword.operator.range.cron.usercube' },
        { match: ',', name: 'punctuation.separator.list.cron.usercube' },
        { match: '\\d+', name: 'constant.numeric.cron.usercube' },
        { match: '\\b(?i:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\b', name: 'constant.language.cron.usercube' },
        { match: '\\S', name: 'invalid.illegal.cron.usercube' },
      ],
    },
  };
  return {
    $comment: 'Generated by scripts/generate-grammar.mjs from server/src/schema/schema.generated.json. Do not edit: run npm run generate-grammar.',
    name: 'Identity Manager (Usercube) configuration files',
    scopeName: SCOPE_NAME,
    injectionSelector: 'L:text.xml - (comment | string | meta.configuration-file.usercube)',
    patterns: [{ include: '#configuration-file' }],
    repository,
  };
}

/**
 * C# code in an XML attribute writes its double quotes as &quot;. This second grammar is injected into the embedded
 * C# (at any depth of the C# grammar's own rules, which a pattern of the first grammar cannot reach) so that
 * &quot;…&quot; reads as a C# string and the other entities (&amp;&amp;, &lt;) as entities, not as operators.
 */
export function buildCsharpEntitiesGrammar() {
  return {
    $comment: 'Generated by scripts/generate-grammar.mjs. Do not edit: run npm run generate-grammar.',
    name: 'Identity Manager (Usercube) C# expressions: XML entities',
    scopeName: CSHARP_SCOPE_NAME,
    injectionSelector: 'L:meta.embedded.inline.cs - (string.quoted.double.cs | comment)',
    patterns: [{ include: '#quoted-string' }, { include: 'text.xml#entity' }],
    repository: {
      'quoted-string': {
        name: 'string.quoted.double.cs',
        begin: '[$@]{0,2}(&quot;)',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.cs' }, 1: { name: 'constant.character.entity.xml' } },
        end: '(&quot;)',
        endCaptures: { 0: { name: 'punctuation.definition.string.end.cs' }, 1: { name: 'constant.character.entity.xml' } },
        patterns: [
          { match: '\\\\(?:[\\\\\'0abfnrtv]|&quot;|&apos;|x[0-9a-fA-F]{1,4}|u[0-9a-fA-F]{4})', name: 'constant.character.escape.cs' },
          { include: 'text.xml#entity' },
        ],
      },
    },
  };
}

const OUTPUTS = [
  { file: outputFile, build: (schema) => buildGrammar(schema) },
  { file: csharpOutputFile, build: () => buildCsharpEntitiesGrammar() },
];

const render = (grammar) => `${JSON.stringify(grammar, null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, build } of OUTPUTS) {
    const text = render(build(schema));
    const name = path.relative(repoRoot, file);
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing: out of date
      }
      if (current !== text) {
        console.error(`generate-grammar: ${name} is out of date; run npm run generate-grammar`);
        stale++;
      }
    } else {
      writeFileSync(file, text);
      console.log(`generate-grammar: wrote ${name}`);
    }
  }
  if (check && stale > 0) process.exit(1);
  if (check) console.log('generate-grammar: the grammars are up to date');
  if (!check) {
    const names = attributeNames(schema);
    console.log(`generate-grammar: ${names.binding.length} binding, ${names.expression.length} expression, ${names.cron.length} crontab attribute names`);
  }
}
