// The pages' addresses live in ../shared/links.ts, which the browser code
// shares; this name stays for the server modules that import it.
export * from "../shared/links.ts";
