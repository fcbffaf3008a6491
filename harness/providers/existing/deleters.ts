import { CONTAINER_NODE_RESOURCE_DELETERS } from "../../container-node/join";
import { LOCAL_NODE_RESOURCE_DELETERS } from "../../local-node/resource-deleters";
import type { ResourceDeleter } from "../../run/resources";
import { EXISTING_CLUSTER_DELETERS } from "./cluster-objects";

/**
 * What the existing provider records, in the order a sweep deletes it: node
 * containers first (their kubelets would register a deleted Node again; a
 * sweep stops local kubelet processes before any deleter runs), then what the
 * run made or changed on the cluster, then the local nodes' namespaces and links.
 */
export const EXISTING_DELETERS: readonly ResourceDeleter[] = [...CONTAINER_NODE_RESOURCE_DELETERS, ...EXISTING_CLUSTER_DELETERS, ...LOCAL_NODE_RESOURCE_DELETERS];
