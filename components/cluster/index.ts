export * from "./kubernetes-cluster";
export * from "./eks-config";
export * from "./eks-addons";
export * from "./eks-control-plane";
export * from "./eks-node-group";
export * from "./irsa";
export * from "./kubeconfig";
export * from "./cluster-autoscaler";
