// The layout of a request's data point in Workers Analytics Engine (dataset
// atrarium_requests, binding REQUEST_ANALYTICS). The README's dashboard
// queries read these columns; change them together.
//
//   index1   method (NSID): the sampling key, so a busy method cannot crowd out a quiet one
//   blob1    method (NSID)
//   blob2    feed AT-URI (getFeedSkeleton only, else "")
//   blob3    status class: "2xx", "4xx" or "5xx"
//   double1  time to answer, ms (measured in the Worker)
//   double2  HTTP status

export interface RequestPoint {
  method: string;
  url: URL;
  ms: number;
  status: number;
}

export function writeRequestPoint(dataset: AnalyticsEngineDataset, point: RequestPoint): void {
  const feed =
    point.method === "app.bsky.feed.getFeedSkeleton" ? (point.url.searchParams.get("feed") ?? "") : "";
  dataset.writeDataPoint({
    indexes: [point.method],
    blobs: [point.method, feed.slice(0, 1024), `${Math.floor(point.status / 100)}xx`],
    doubles: [point.ms, point.status],
  });
}
