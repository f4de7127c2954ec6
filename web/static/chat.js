// Support-site page: a small chat widget over Rasa's REST channel.
// The site's locale and, when a demo customer is chosen, a signed login token travel as
// message metadata; the bot answers in the conversation's language.
(function () {
  const LABELS = {
    en: { headline: "Business account and CPS membership", intro: "Ask our assistant how to open a Canon Digital Business account and activate your CPS membership.", placeholder: "Type your message", send: "Send", demoCustomer: "Logged in as", anonymous: "(not logged in)", language: "Language" },
    fi: { headline: "Yritystili ja CPS-jäsenyys", intro: "Kysy avustajaltamme, miten avaat Canon Digital Business -tilin ja aktivoit CPS-jäsenyyden.", placeholder: "Kirjoita viestisi", send: "Lähetä", demoCustomer: "Kirjautuneena", anonymous: "(ei kirjautunut)", language: "Kieli" },
    et: { headline: "Ärikonto ja CPS-i liikmelisus", intro: "Küsige meie assistendilt, kuidas luua Canoni digitaalne ärikonto ja aktiveerida CPS-i liikmelisus.", placeholder: "Kirjutage oma sõnum", send: "Saada", demoCustomer: "Sisse logitud kui", anonymous: "(pole sisse logitud)", language: "Keel" },
    nb: { headline: "Bedriftskonto og CPS-medlemskap", intro: "Spør assistenten vår hvordan du oppretter en digital Canon-bedriftskonto og aktiverer CPS-medlemskapet.", placeholder: "Skriv meldingen din", send: "Send", demoCustomer: "Logget inn som", anonymous: "(ikke logget inn)", language: "Språk" },
    lt: { headline: "Verslo paskyra ir CPS narystė", intro: "Paklauskite mūsų asistento, kaip susikurti „Canon Digital Business“ paskyrą ir suaktyvinti CPS narystę.", placeholder: "Įveskite žinutę", send: "Siųsti", demoCustomer: "Prisijungta kaip", anonymous: "(neprisijungta)", language: "Kalba" },
    sv: { headline: "Företagskonto och CPS-medlemskap", intro: "Fråga vår assistent hur du skapar ett Canon-företagskonto och aktiverar ditt CPS-medlemskap.", placeholder: "Skriv ditt meddelande", send: "Skicka", demoCustomer: "Inloggad som", anonymous: "(inte inloggad)", language: "Språk" },
  };
  const NAMES = { en: "English", fi: "suomi", et: "eesti", nb: "norsk bokmål", lt: "lietuvių", sv: "svenska" };

  const $ = (id) => document.getElementById(id);
  const state = {
    config: null,
    language: localStorage.getItem("cps.language") || "en",
    sender: localStorage.getItem("cps.sender") || ("web-" + crypto.randomUUID()),
    token: null,
    history: JSON.parse(localStorage.getItem("cps.history") || "[]"),
  };
  localStorage.setItem("cps.sender", state.sender);

  function applyLabels() {
    const labels = LABELS[state.language] || LABELS.en;
    document.documentElement.lang = state.language;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = labels[el.dataset.i18n]; });
    $("chat-input").placeholder = labels.placeholder;
  }

  function render(entry) {
    const div = document.createElement("div");
    div.className = "msg " + entry.who;
    div.textContent = entry.text || "";
    if (entry.buttons && entry.buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      entry.buttons.forEach((b) => {
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

  function remember(entry) {
    state.history.push(entry);
    localStorage.setItem("cps.history", JSON.stringify(state.history.slice(-200)));
    render(entry);
  }

  async function send(message, shown) {
    remember({ who: "user", text: shown || message });
    $("chat-typing").hidden = false;
    const metadata = { language: state.language };
    if (state.token) metadata.login_token = state.token;
    try {
      const response = await fetch(state.config.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sender, message, metadata }),
      });
      const replies = await response.json();
      replies.forEach((r) => remember({ who: "bot", text: r.text, buttons: r.buttons }));
    } catch (error) {
      remember({ who: "bot", text: "⚠ The assistant cannot be reached right now. Please try again in a moment." });
    } finally {
      $("chat-typing").hidden = true;
    }
  }

  async function loadDemoCustomers() {
    try {
      const response = await fetch(state.config.backendUrl + "/v1/demo/customers");
      if (!response.ok) return;
      const customers = await response.json();
      customers.forEach((c) => {
        const option = document.createElement("option");
        option.value = c.ref;
        option.textContent = `${c.company} (${c.country}) — ${c.description}`;
        $("demo-customer").appendChild(option);
      });
    } catch (error) { /* no backend: the page still works anonymously */ }
  }

  async function chooseCustomer(ref) {
    state.token = null;
    if (!ref) return;
    const response = await fetch(state.config.backendUrl + "/v1/demo/login-token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer_ref: ref }),
    });
    if (response.ok) state.token = (await response.json()).token;
  }

  async function start() {
    state.config = await (await fetch("config.json")).json();
    const select = $("site-language");
    Object.entries(NAMES).forEach(([code, name]) => {
      const option = document.createElement("option");
      option.value = code; option.textContent = name;
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
    applyLabels();
    state.history.forEach(render);
    loadDemoCustomers();
  }

  start();
})();
