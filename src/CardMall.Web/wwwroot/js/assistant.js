// The assistant's chat panel: sends each message to the page handler and shows the answer, without a reload.
// Answers are text; only the shop's own paths (/Orders/…, /Tickets/…, /Help/…) become links.
(function () {
    const root = document.getElementById('assistant');
    if (!root) return;
    const panel = root.querySelector('.assistant-panel');
    const toggle = root.querySelector('.assistant-toggle');
    const log = root.querySelector('.assistant-log');
    const form = root.querySelector('.assistant-form');
    const input = form.querySelector('input[type=text], #assistant-text');
    const quick = root.querySelector('.assistant-quick');
    // Pages carry no antiforgery token (they are served from the output cache); the panel asks for one once.
    let token = null;
    async function antiforgeryToken() {
        if (token === null) {
            const response = await fetch(root.dataset.tokenEndpoint, { credentials: 'same-origin' });
            token = (await response.json()).token;
        }
        return token;
    }
    const key = 'cardmall.assistant.conversation';
    const localPath = /(\/(?:Orders|Tickets|Help)(?:\/[A-Za-z0-9-]+)?)/g;

    function open(show) {
        panel.hidden = !show;
        toggle.setAttribute('aria-expanded', String(show));
        if (show) input.focus();
    }

    function add(text, who) {
        const box = document.createElement('div');
        box.className = 'assistant-msg assistant-msg-' + who;
        box.dataset.testid = who === 'me' ? 'assistant-mine' : 'assistant-reply';
        let last = 0;
        for (const m of text.matchAll(localPath)) {
            box.append(text.slice(last, m.index));
            const a = document.createElement('a');
            a.href = m[0];
            a.textContent = m[0];
            box.append(a);
            last = m.index + m[0].length;
        }
        box.append(text.slice(last));
        log.append(box);
        log.scrollTop = log.scrollHeight;
        return box;
    }

    function suggest(items) {
        quick.replaceChildren(...items.map(s => {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'btn btn-sm btn-outline-primary rounded-pill';
            b.textContent = s.label;
            b.dataset.ask = s.text;
            return b;
        }));
    }

    async function send(text) {
        if (!text.trim()) return;
        add(text, 'me');
        input.value = '';
        const waiting = add('…', 'bot');
        try {
            const response = await fetch(root.dataset.endpoint, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': await antiforgeryToken() },
                body: JSON.stringify({ text, conversationId: sessionStorage.getItem(key) }),
            });
            const body = await response.json().catch(() => ({}));
            waiting.remove();
            if (response.status === 404) sessionStorage.removeItem(key);
            if (!response.ok) { add(body.error || body.detail || '…', 'bot'); return; }
            sessionStorage.setItem(key, body.conversationId);
            const reply = add(body.reply, 'bot');
            reply.dataset.intent = body.intent;
            // The assistant suggests a person: the way to one is right under its answer.
            if (body.intent === 'human_agent' && root.dataset.chatUrl) {
                const link = document.createElement('a');
                link.href = root.dataset.chatUrl;
                link.className = 'btn btn-sm btn-primary align-self-start';
                link.dataset.testid = 'assistant-talk-to-us';
                link.textContent = root.dataset.chatLabel;
                log.append(link);
            }
            if (body.suggestions) suggest(body.suggestions);
        } catch {
            waiting.remove();
            add(root.dataset.offline || '…', 'bot');
        }
    }

    toggle.addEventListener('click', () => open(panel.hidden));
    root.querySelector('.assistant-close').addEventListener('click', () => open(false));
    form.addEventListener('submit', e => { e.preventDefault(); send(input.value); });
    quick.addEventListener('click', e => { const b = e.target.closest('button[data-ask]'); if (b) send(b.dataset.ask); });
    document.addEventListener('click', e => {
        const b = e.target.closest('[data-assistant-open]');
        if (b) { e.preventDefault(); open(true); }
    });
})();
