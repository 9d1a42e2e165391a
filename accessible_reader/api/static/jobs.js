// Live job progress: one EventSource per unfinished job updates its row (status, percent, ETA).
"use strict";
document.querySelectorAll("tr[data-job]").forEach((row) => {
  const status = row.dataset.status;
  if (status !== "queued" && status !== "running") return;
  const source = new EventSource(`/api/jobs/${row.dataset.job}/events`);
  const labels = JSON.parse(row.querySelector(".status").dataset.labels);
  source.addEventListener("progress", (event) => {
    const job = JSON.parse(event.data);
    const percent = Math.round(job.progress * 100);
    row.querySelector("progress").value = percent;
    row.querySelector(".percent").textContent = `${percent}%`;
    row.querySelector(".status").textContent = labels[job.status] || job.status;
    row.querySelector(".eta").textContent = job.eta_seconds == null ? "" : `${Math.round(job.eta_seconds)} s`;
  });
  source.addEventListener("end", () => source.close());
  source.onerror = () => source.close();
});
