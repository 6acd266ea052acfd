export * from "./route53-dns";
