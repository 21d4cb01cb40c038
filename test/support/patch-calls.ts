// Finds patched() and deprecatePatch() calls in workflow sources whose ID is not a constant imported from
// src/workflows/patches.ts (a string literal, a template, a local constant): such an ID escapes the lock that keeps
// every patch ID's meaning (test/workflows/patches.test.ts).
import ts from 'typescript';

const PATCH_FUNCTIONS = new Set(['patched', 'deprecatePatch']);

/** `file:line: call` for every patch call in `source` that does not name an imported patches.ts constant. */
export function patchCallProblems(file: string, source: string): string[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const constants = new Set<string>(); // local names of patches.ts constants
  const namespaces = new Set<string>(); // `import * as p from '../patches'`
  const patchFunctions = new Set<string>(); // local names of patched / deprecatePatch
  for (const statement of tree.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    const from = statement.moduleSpecifier.text;
    const fromPatches = /(^|\/)patches$/.test(from);
    if (bindings && ts.isNamespaceImport(bindings) && fromPatches) namespaces.add(bindings.name.text);
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).text;
      if (fromPatches) constants.add(element.name.text);
      if (from === '@temporalio/workflow' && PATCH_FUNCTIONS.has(imported)) patchFunctions.add(element.name.text);
    }
  }
  // `for (const id of LIST) patched(id)`, LIST a local array of patches.ts constants only (a run deciding them all).
  const lists = new Set<string>();
  const loopIds = new Set<string>();
  const unwrap = (node: ts.Expression): ts.Expression => (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ? unwrap(node.expression) : node);
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const list = unwrap(node.initializer);
      if (ts.isArrayLiteralExpression(list) && list.elements.length > 0 && list.elements.every((element) => ts.isIdentifier(element) && constants.has(element.text))) lists.add(node.name.text);
    }
    if (ts.isForOfStatement(node) && ts.isIdentifier(node.expression) && lists.has(node.expression.text) && ts.isVariableDeclarationList(node.initializer)) {
      for (const declaration of node.initializer.declarations) if (ts.isIdentifier(declaration.name)) loopIds.add(declaration.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(tree);
  const isPatchCall = (callee: ts.Expression) =>
    (ts.isIdentifier(callee) && patchFunctions.has(callee.text)) || (ts.isPropertyAccessExpression(callee) && PATCH_FUNCTIONS.has(callee.name.text));
  const namesConstant = (id: ts.Expression | undefined) =>
    id !== undefined &&
    ((ts.isIdentifier(id) && (constants.has(id.text) || loopIds.has(id.text))) || (ts.isPropertyAccessExpression(id) && ts.isIdentifier(id.expression) && namespaces.has(id.expression.text)));
  const problems: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isPatchCall(node.expression) && !namesConstant(node.arguments[0])) {
      const { line } = tree.getLineAndCharacterOfPosition(node.getStart());
      problems.push(`${file}:${line + 1}: ${node.getText()} does not name a constant from src/workflows/patches.ts`);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return problems;
}
