/**
 * Writes the protocol's types as plain declarations, for the published package.
 *
 * The protocol declares each payload once as a TypeBox schema and derives its type with
 * `Static<typeof Schema>`. Emitted as is, those `.d.ts` files would need `@sinclair/typebox`
 * installed to mean anything; the client must not depend on it. So the published client
 * carries the derived types spelled out (`export type Message = { id: string; … }`),
 * computed by the compiler from the same schemas: nothing is written twice by hand.
 */
import ts from "typescript";

/** Every exported type of `schemasFile`, expanded, as the text of a `.d.ts` module. */
export function expandedTypes(schemasFile: string): string {
  const program = ts.createProgram([schemasFile], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(schemasFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${schemasFile}`);

  const flags =
    ts.TypeFormatFlags.NoTruncation |
    ts.TypeFormatFlags.InTypeAlias |
    ts.TypeFormatFlags.MultilineObjectLiterals |
    ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
  const out = [
    "// Generated from the protocol schemas (packages/protocol/src/schemas.ts) at build time.",
    "// The schemas themselves (runtime validators) are not part of the client.",
    "",
  ];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    if (!(symbol.flags & ts.SymbolFlags.TypeAlias)) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker));
    if (doc) out.push(`/** ${doc.replaceAll("\n", "\n * ")} */`);
    out.push(`export type ${symbol.name} = ${checker.typeToString(type, undefined, flags)};`, "");
  }
  return out.join("\n");
}
