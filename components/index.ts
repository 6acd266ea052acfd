/** The package's public API: components, their args, and the pinned defaults. */
export * from "./cluster";
export * from "./defaults";
export * from "./gitlab";
export * from "./data/connection";
export * from "./data/existing";
export * from "./gitlab-api";
export * from "./agent";
export * from "./runner";
export * from "./flux";
export * from "./apps";
