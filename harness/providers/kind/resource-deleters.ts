import type { ResourceDeleter } from "../../run/resources";
import { removeContainer, removeKindCluster, removeNetwork } from "./docker-objects";

/** The kinds of object the kind provider records. */
export const KIND_RESOURCE_KINDS = { container: "container", kindCluster: "kind-cluster", dockerNetwork: "docker-network" } as const;

/** Containers, then clusters, then networks: a network in use cannot be removed. */
export const KIND_RESOURCE_DELETERS: readonly ResourceDeleter[] = [
  { kind: KIND_RESOURCE_KINDS.container, delete: (r) => removeContainer(r.name) },
  { kind: KIND_RESOURCE_KINDS.kindCluster, delete: removeKindCluster },
  { kind: KIND_RESOURCE_KINDS.dockerNetwork, delete: (r) => removeNetwork(r.name) },
];
