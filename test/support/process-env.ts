// Environment variables a test file sets for its own process (the worker's email activities read SMTP_URL and
// the like when they send their first email), and puts back afterwards.

/** Sets `values`; the function returned restores what each variable was (unset ones unset again). */
export function setProcessEnv(values: Record<string, string>): () => void {
  const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
