using CardMall.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The app's own registrations, kept so that the seeder can build a container of its own from them: the same
/// handlers, validators, pipeline behaviors and domain-event handlers, with only the clock
/// (<see cref="DemoClock"/>) and the current user (<see cref="DemoActor"/>) replaced. A scope of the app's
/// container cannot swap a singleton such as <see cref="TimeProvider"/>, and the app's must stay the real one.
/// </summary>
internal sealed class DemoScope(IServiceCollection registrations)
{
    internal ServiceProvider Build(DemoClock clock, DemoActor actor)
    {
        var services = new ServiceCollection();
        foreach (var registration in registrations) services.Add(registration);
        // Nothing in the seeder's container runs in the background: it sends the story's commands and nothing else.
        services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(clock);
        services.RemoveAll<ICurrentUser>();
        services.AddScoped<ICurrentUser>(_ => actor);
        return services.BuildServiceProvider();
    }
}
