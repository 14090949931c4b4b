using System.Text.Json;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Chats;

namespace CardMall.Infrastructure.Seeding;

internal static partial class DemoTickets
{
    private sealed partial class Stories
    {
        /// <summary>
        /// The demo's live chats (Data/chat-stories.json), played through the shop's chat use cases: the buyer writes,
        /// the dispatcher offers the chat to <paramref name="agent"/> (the only one online at that moment), the agent
        /// accepts within seconds, they talk, the agent ends it and the buyer rates it.
        /// </summary>
        private void LiveChat(string story, ShopUser buyer, ShopUser agent, DateTimeOffset at, TimeSpan toAccept)
        {
            using var json = JsonDocument.Parse(DemoTexts.Read("chat-stories.json"));
            var script = json.RootElement.EnumerateArray().Single(s => s.GetProperty("story").GetString() == story);
            var lines = script.GetProperty("lines").EnumerateArray()
                .Select(l => (Buyer: l.GetProperty("who").GetString() == "buyer", After: TimeSpan.FromSeconds(l.GetProperty("after").GetInt32()), Text: l.GetProperty("text").GetString()!))
                .ToList();
            var rating = script.GetProperty("rating").GetInt32();
            var comment = script.GetProperty("ratingComment").GetString();
            var chatId = Guid.Empty;

            replay.At(at, async () =>
            {
                foreach (var member in cast.DeskStaff)
                    await replay.SendAsync(cast.Supervisor, new SetAvailability(member == agent ? AgentAvailability.Online : _onDuty[member.Id] ? AgentAvailability.Away : AgentAvailability.Offline, member.Id));
                chatId = (await replay.SendAsync(buyer, new StartChat(lines[0].Text, null))).ChatId;
            });
            replay.At(at.AddSeconds(1), () => replay.SendAsync(null, new DispatchChats()));
            replay.At(at + toAccept, () => replay.SendAsync(agent, new AcceptChat(chatId)));
            foreach (var line in lines.Skip(1))
                replay.At(at + toAccept + line.After, () => line.Buyer
                    ? replay.SendAsync(buyer, new PostChatMessage(chatId, line.Text))
                    : replay.SendAsync(agent, new AnswerChat(chatId, line.Text)));
            var end = at + toAccept + lines[^1].After + TimeSpan.FromSeconds(30);
            replay.At(end, async () =>
            {
                await replay.SendAsync(agent, new EndChat(chatId, ByStaff: true));
                // The desk as the ticket stories left it: on duty means online.
                foreach (var member in cast.DeskStaff)
                    await replay.SendAsync(cast.Supervisor, new SetAvailability(_onDuty[member.Id] ? AgentAvailability.Online : AgentAvailability.Offline, member.Id));
            });
            replay.At(end.AddMinutes(1), () => replay.SendAsync(buyer, new RateChat(chatId, rating, comment)));
        }
    }
}
