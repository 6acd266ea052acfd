/** The package's public API: components, their args, and the pinned defaults. */
export * from "./cluster";
export * from "./defaults";
