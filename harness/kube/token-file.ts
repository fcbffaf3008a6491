import { randomBytes } from "node:crypto";

/** One line of kube-apiserver's --token-auth-file: token,user,uid,"group1,group2". */
export function tokenFileLine(token: string, user: string, uid: string, groups: string[]): string {
  return `${token},${user},${uid},"${groups.join(",")}"`;
}

/** A fresh static token for the token-file line (redact it from reports). */
export function newStaticToken(): string {
  return randomBytes(16).toString("hex");
}
