// The settings and page data the server embeds in each page as JSON.
import type { CommunityPageData, WebConfig } from "../shared/contract.ts";

export type { CommunityPageData, WebConfig };

function readJson<T>(id: string): T | undefined {
  const text = document.getElementById(id)?.textContent;
  return text ? (JSON.parse(text) as T) : undefined;
}

export function readConfig(): WebConfig {
  const config = readJson<WebConfig>("atrarium-config");
  if (!config) throw new Error("the page carries no atrarium-config");
  return config;
}

export function readCommunity(): CommunityPageData {
  const data = readJson<CommunityPageData>("atrarium-page");
  if (!data) throw new Error("the page carries no community data");
  return data;
}
