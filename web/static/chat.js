// Support-site page: the chat widget, over Rasa's socket.io channel.
// The site's locale and, for a logged-in (demo) customer, a signed login token travel as message
// metadata. The history comes from the conversation itself (backend → Rasa tracker), so it
// survives reloads and is the same in every tab; agents' replies arrive on the same socket.
(function () {
  
  const $ = (id) => document.getElementById(id);
  const state = {
    config: null,
    socket: null,
    language: localStorage.getItem("cps.language") || "en",
    sender: localStorage.getItem("cps.sender") || ("web-" + crypto.randomUUID()),
    token: sessionStorage.getItem("cps.token"),
    typingTimer: null,
  };
  localStorage.setItem("cps.sender", state.sender);
  const tabs = "BroadcastChannel" in window ? new BroadcastChannel("cps-chat-" + state.sender) : null;

  // Languages and the page's own texts come from the site configuration (locales/, via config.json).
  function labels() {
    const languages = state.config.languages;
    return (languages[state.language] || languages[state.config.defaultLanguage]).labels;
  }

  function applyLabels() {
    document.documentElement.lang = state.language;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = labels()[el.dataset.i18n]; });
    $("chat-input").placeholder = labels().placeholder;
    $("chat-typing").textContent = labels().typing;
    $("chat-status").textContent = labels().offline;
  }

  // Text, links and **bold** / *italic*, built as DOM nodes (never innerHTML of message text).
  function formatted(text) {
    const fragment = document.createDocumentFragment();
    const pattern = /(https?:\/\/[^\s]+[^\s.,;:!?)])|\*\*([^*]+)\*\*|\*([^*]+)\*/g;
    let last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      let node;
      if (match[1]) {
        node = document.createElement("a");
        node.href = match[1]; node.textContent = match[1]; node.target = "_blank"; node.rel = "noopener";
      } else {
        node = document.createElement(match[2] ? "strong" : "em");
        node.textContent = match[2] || match[3];
      }
      fragment.appendChild(node);
      last = pattern.lastIndex;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function render(entry) {
    const div = document.createElement("div");
    div.className = "msg " + entry.who;
    if (entry.who === "agent") div.setAttribute("aria-label", "CPS Priority Support");
    div.appendChild(formatted(entry.text || ""));
    const buttons = entry.buttons || [];
    if (buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach((b) => {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", () => send(b.payload, b.title));
        row.appendChild(button);
      });
      div.appendChild(row);
    }
    $("chat-log").appendChild(div);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  function typing(on) {
    clearTimeout(state.typingTimer);
    $("chat-typing").hidden = !on;
    if (on) state.typingTimer = setTimeout(() => typing(false), 15000);
  }

  function send(message, shown) {
    const metadata = { language: state.language };
    if (state.token) metadata.login_token = state.token;
    const entry = { who: "user", text: shown || message };
    render(entry);
    if (tabs) tabs.postMessage(entry);
    typing(true);
    // socket.io buffers the message while the connection is down and sends it on reconnect.
    state.socket.emit("user_uttered", { message, session_id: state.sender, metadata });
  }

  async function loadHistory() {
    $("chat-log").replaceChildren();
    try {
      const response = await fetch(`${state.config.backendUrl}/v1/conversations/${state.sender}/history`);
      if (response.ok) (await response.json()).forEach((line) =>
        render({ who: line.who === "customer" ? "user" : line.who, text: line.text, buttons: line.buttons }));
    } catch (error) { /* no history yet */ }
  }

  function connect() {
    const socket = io(state.config.rasaUrl, { transports: ["websocket"], reconnectionDelayMax: 5000 });
    state.socket = socket;
    socket.on("connect", () => {
      $("chat-status").hidden = true;
      socket.emit("session_request", { session_id: state.sender });
    });
    socket.on("disconnect", () => { $("chat-status").hidden = false; });
    socket.on("bot_uttered", (message) => {
      typing(false);
      const buttons = (message.quick_replies || message.buttons || []).map((b) => ({ title: b.title, payload: b.payload }));
      render({ who: "bot", text: message.text, buttons });
    });
  }

  async function loadDemoCustomers() {
    try {
      const response = await fetch(state.config.backendUrl + "/v1/demo/customers");
      if (!response.ok) return;
      (await response.json()).forEach((c) => {
        const option = document.createElement("option");
        option.value = c.ref;
        option.textContent = `${c.company} (${c.country}) — ${c.description}`;
        $("demo-customer").appendChild(option);
      });
      $("demo-customer").value = sessionStorage.getItem("cps.customer") || "";
    } catch (error) { /* no backend: the page still works anonymously */ }
  }

  async function chooseCustomer(ref) {
    state.token = null;
    sessionStorage.removeItem("cps.token");
    sessionStorage.setItem("cps.customer", ref);
    if (!ref) return;
    const response = await fetch(state.config.backendUrl + "/v1/demo/login-token", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer_ref: ref }),
    });
    if (response.ok) {
      state.token = (await response.json()).token;
      sessionStorage.setItem("cps.token", state.token);
    }
    document.body.dataset.loggedIn = ref;
  }

  async function start() {
    state.config = await (await fetch("config.json")).json();
    const select = $("site-language");
    if (!state.config.languages[state.language]) state.language = state.config.defaultLanguage;
    $("chat-input").maxLength = state.config.maxMessageChars;
    Object.entries(state.config.languages).forEach(([code, language]) => {
      const option = document.createElement("option");
      option.value = code; option.textContent = language.name;
      select.appendChild(option);
    });
    select.value = state.language;
    select.addEventListener("change", () => {
      state.language = select.value;
      localStorage.setItem("cps.language", state.language);
      applyLabels();
    });
    $("demo-customer").addEventListener("change", (e) => chooseCustomer(e.target.value));
    $("chat-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const text = $("chat-input").value.trim();
      if (text) { $("chat-input").value = ""; send(text); }
    });
    if (tabs) tabs.onmessage = (event) => render(event.data);
    applyLabels();
    await loadHistory();
    connect();
    await loadDemoCustomers();
    document.body.dataset.ready = "true";
  }

  start();
})();
