export * from "./aws-network";
export * from "./subnets";
