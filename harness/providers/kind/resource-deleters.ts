import type { ResourceDeleter } from "../../run/resources";
import { CONTAINER_NODE_RESOURCE_DELETERS, CONTAINER_NODE_RESOURCE_KIND } from "../../container-node/join";
import { removeKindCluster, removeNetwork } from "./docker-objects";

/** The kinds of object the kind provider records. */
export const KIND_RESOURCE_KINDS = { container: CONTAINER_NODE_RESOURCE_KIND, kindCluster: "kind-cluster", dockerNetwork: "docker-network" } as const;

/** Containers, then clusters, then networks: a network in use cannot be removed. */
export const KIND_RESOURCE_DELETERS: readonly ResourceDeleter[] = [
  ...CONTAINER_NODE_RESOURCE_DELETERS,
  { kind: KIND_RESOURCE_KINDS.kindCluster, delete: removeKindCluster },
  { kind: KIND_RESOURCE_KINDS.dockerNetwork, delete: (r) => removeNetwork(r.name) },
];
