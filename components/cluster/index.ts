export * from "./kubernetes-cluster";
