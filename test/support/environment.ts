// Environment variables for code that reads process.env late, such as the worker's email activities (at their first
// email): set for a test file, then put back as they were.

/** Sets each variable (unsets it for undefined); the function returned restores what was there before. */
export function setEnvironment(values: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(before);
}
