using MediatR;

namespace CardMall.Application.Abstractions;

/// <summary>
/// Marks a request that changes state. The transaction behavior wraps every command (and only
/// commands) in one database transaction; queries run without one.
/// </summary>
public interface ICommand<out TResult> : IRequest<TResult>, ICommandMarker;

/// <summary>Non-generic marker so behaviors can recognise a command whatever its result.</summary>
public interface ICommandMarker;
