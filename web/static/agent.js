// Agent console: the queue of conversations waiting for CPS Priority Support, claiming one, the live
// transcript, replying, handing back to the bot and closing. Talks to the backend with the agent key.
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { config: null, agent: sessionStorage.getItem("agent.name"), key: sessionStorage.getItem("agent.key"),
                  current: null, timers: [] };

  async function api(method, path, body) {
    const response = await fetch(state.config.backendUrl + path, {
      method, headers: { "Content-Type": "application/json", "X-Staff-Key": state.key },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = response.status === 204 ? null : await response.json();
    if (!response.ok) throw Object.assign(new Error(data.detail || data.title), { code: data.code, status: response.status });
    return data;
  }

  function waiting(since) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(since)) / 60000));
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  async function refreshQueue() {
    try {
      const tickets = (await api("GET", "/v1/staff/handoff/tickets?status=open"))
        .concat((await api("GET", "/v1/staff/handoff/tickets?status=claimed")).filter((t) => t.assigned_agent === state.agent));
      const body = $("queue").querySelector("tbody");
      body.replaceChildren(...tickets.map((t) => {
        const row = document.createElement("tr");
        row.dataset.ref = t.ref;
        if (t.status === "claimed") row.className = "mine";
        [t.language, t.reason, waiting(t.created_at), t.status].forEach((text) => {
          const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
        });
        const cell = document.createElement("td");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = t.status === "open" ? "Claim" : "Open";
        button.addEventListener("click", () => (t.status === "open" ? claim(t.ref) : open(t)));
        cell.appendChild(button); row.appendChild(cell);
        return row;
      }));
      $("queue-error").textContent = "";
    } catch (error) { $("queue-error").textContent = error.message; }
  }

  async function claim(ref) {
    try { open(await api("POST", `/v1/staff/handoff/tickets/${ref}/claim`, { agent: state.agent })); }
    catch (error) { $("queue-error").textContent = error.message; }
    refreshQueue();
  }

  function open(ticket) {
    state.current = ticket;
    $("conversation").hidden = false;
    $("conversation-title").textContent = `Conversation (${ticket.language}) — ${ticket.reason}`;
    $("summary").textContent = ticket.summary;
    $("conversation-error").textContent = "";
    refreshTranscript();
  }

  async function refreshTranscript() {
    if (!state.current) return;
    try {
      const lines = await api("GET", `/v1/staff/handoff/tickets/${state.current.ref}/transcript`);
      $("transcript").replaceChildren(...lines.map((line) => {
        const div = document.createElement("div");
        div.className = "msg " + line.who;
        div.textContent = line.text;
        return div;
      }));
      $("transcript").scrollTop = $("transcript").scrollHeight;
    } catch (error) { $("conversation-error").textContent = error.message; }
  }

  async function act(path, body, done) {
    try {
      await api("POST", `/v1/staff/handoff/tickets/${state.current.ref}/${path}`, { agent: state.agent, ...body });
      if (done) { state.current = null; $("conversation").hidden = true; }
      refreshTranscript(); refreshQueue();
    } catch (error) { $("conversation-error").textContent = error.message; }
  }

  function startDesk() {
    $("login").hidden = true; $("desk").hidden = false;
    $("whoami").textContent = state.agent;
    refreshQueue();
    state.timers.push(setInterval(refreshQueue, 3000), setInterval(refreshTranscript, 1500));
  }

  async function start() {
    state.config = await (await fetch("config.json")).json();
    $("login").addEventListener("submit", async (e) => {
      e.preventDefault();
      state.agent = $("agent-name").value.trim(); state.key = $("agent-key").value;
      try {
        await api("GET", "/v1/staff/handoff/tickets?limit=1");
        sessionStorage.setItem("agent.name", state.agent); sessionStorage.setItem("agent.key", state.key);
        startDesk();
      } catch (error) { $("login-error").textContent = error.status === 401 ? "Wrong agent key" : error.message; }
    });
    $("reply-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const text = $("reply").value.trim();
      if (text) { $("reply").value = ""; act("messages", { text }, false); }
    });
    $("handback").addEventListener("click", () => act("handback", {}, true));
    $("close").addEventListener("click", () => act("close", {}, true));
    if (state.agent && state.key) startDesk();
    document.body.dataset.ready = "true";
  }

  start();
})();
